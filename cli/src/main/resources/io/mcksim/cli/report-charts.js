// mcksim report charts: every chart of report.html drawn as SVG from the CHARTS array the page inlines,
// with no library and nothing fetched. A chart is fit for a paper: its legend is part of the drawing (it
// prints and saves with it), every axis is labelled with its unit, a log axis starts below the smallest
// non-empty value so that every non-empty bin shows, the ideal is drawn dashed on top, and series differ
// by the Okabe-Ito colours and by dash, marker or hatching, so they stay apart in greyscale. Each chart
// can be saved as SVG or PNG. When every chart is drawn the page's root element gets
// data-charts-drawn=N; a script error sets data-script-errors (the browser test reads both).
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  // Okabe & Ito (2008): distinct for the common colour-vision deficiencies
  const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"];
  const ROLE = {linux: "#D55E00", mckernel: "#0072B2", ideal: "#000000"};
  const DASHES = ["", "7 3", "2 2", "9 3 2 3", "4 4", "1 3"];
  const MARKERS = ["circle", "square", "triangle", "diamond", "cross", "plus"];
  const HATCHES = ["", "diag", "cross", "dots", "back", "horiz", "vert", "grid"];
  const FONT = "Helvetica, Arial, sans-serif";

  const errors = [];
  window.addEventListener("error", e => {
    errors.push(String(e.message));
    document.documentElement.setAttribute("data-script-errors", errors.join(" | "));
  });

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    const t = el("text", Object.assign({x: x, y: y, "font-family": FONT, "font-size": 12, fill: "#111"}, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  // Millions, billions and trillions as "2.5 M", "1.2 G", "3 T" (an axis of events or packets per second
  // reads at a glance); beyond them, and below a thousandth, in exponent notation.
  function fmt(v) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1e6 && a < 1e15) {
      const unit = a >= 1e12 ? 1e12 : a >= 1e9 ? 1e9 : 1e6;
      return String(+(v / unit).toPrecision(4)) + (unit === 1e12 ? " T" : unit === 1e9 ? " G" : " M");
    }
    if (a >= 1e15 || a < 1e-3) return v.toExponential(a >= 1e6 && Number.isInteger(v / Math.pow(10, Math.floor(Math.log10(a)))) ? 0 : 1).replace("e+", "e");
    if (a >= 1000) return v.toLocaleString("en-US", {maximumFractionDigits: 0});
    return String(+v.toPrecision(4));
  }

  // A scale: data to pixels, with its ticks. Log scales start one step below the smallest positive value.
  // opt.pad insets the data from both ends of the axis (pixels), so that a marker on the first or last
  // value is drawn whole inside the frame; opt.integer (the data are counts, or whole numbers) keeps
  // every tick a whole number.
  function scale(values, opt, from, to) {
    const v = values.filter(x => x !== null && x !== undefined && isFinite(x) && (!opt.log || x > 0));
    let lo = v.length ? Math.min(...v) : 0, hi = v.length ? Math.max(...v) : 1;
    if (opt.min !== undefined && opt.min !== null) lo = Math.min(lo, opt.min);
    if (opt.max !== undefined && opt.max !== null) hi = Math.max(hi, opt.max);
    if (opt.names) {
      const keys = Object.keys(opt.names).map(Number).sort((a, b) => a - b);
      const a = keys[0] - 0.5, z = keys[keys.length - 1] + 0.5;
      return {f: x => from + (x - a) / (z - a) * (to - from), ticks: keys, lo: a, hi: z};
    }
    const dir = Math.sign(to - from), pad = opt.pad || 0;
    from += dir * pad; to -= dir * pad;
    if (opt.log) {
      const b = opt.log;
      const l = Math.log(lo) / Math.log(b), h = Math.log(hi) / Math.log(b);
      const a = opt.base ? Math.floor(l) - 1 : Math.floor(l), z = Math.max(Math.ceil(h), a + 1);
      const ticks = [];
      const step = Math.max(1, Math.ceil((z - a) / 12));
      for (let e = a; e <= z; e += step) ticks.push(Math.pow(b, e));
      const f = x => from + (Math.log(x) / Math.log(b) - a) / (z - a) * (to - from);
      // counts: the axis may start below 1 (so that a bin of 1 shows), but no tick says 0.1
      return {f: f, ticks: opt.integer ? ticks.filter(Number.isInteger) : ticks, lo: Math.pow(b, a), hi: Math.pow(b, z)};
    }
    if (opt.zero !== false) { lo = Math.min(0, lo); hi = Math.max(0, hi); }
    if (hi === lo) { hi = lo + 1; }
    const raw = (hi - lo) / 6, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
    if (opt.integer && !Number.isInteger(step)) step = step < 1 ? 1 : step * 2; // no iteration 0.5
    const a = Math.floor(lo / step) * step, z = Math.ceil(hi / step) * step;
    const ticks = [];
    for (let t = a; t <= z + step / 2; t += step) ticks.push(+t.toPrecision(12));
    return {f: x => from + (x - a) / (z - a) * (to - from), ticks: ticks, lo: a, hi: z};
  }

  // Whether every value given is a whole number (counts): the axis then has whole ticks only.
  function whole(values) {
    const v = values.filter(x => x !== null && x !== undefined);
    return v.length > 0 && v.every(Number.isInteger);
  }

  function defs(svg, id, series) {
    const d = el("defs", {}, svg);
    series.forEach((s, i) => {
      const h = s.hatch;
      if (!h) return;
      const p = el("pattern", {id: id + "-h" + i, patternUnits: "userSpaceOnUse", width: 6, height: 6}, d);
      el("rect", {width: 6, height: 6, fill: s.color}, p);
      const ink = {stroke: "#ffffff", "stroke-width": 1.3};
      if (h === "diag" || h === "cross") el("path", Object.assign({d: "M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5"}, ink), p);
      if (h === "back" || h === "cross") el("path", Object.assign({d: "M0,0 L6,6 M-1,5 L1,7 M5,-1 L7,1"}, ink), p);
      if (h === "horiz" || h === "grid") el("path", Object.assign({d: "M0,3 L6,3"}, ink), p);
      if (h === "vert" || h === "grid") el("path", Object.assign({d: "M3,0 L3,6"}, ink), p);
      if (h === "dots") el("circle", {cx: 3, cy: 3, r: 1.3, fill: "#ffffff"}, p);
    });
  }

  function marker(g, kind, x, y, color, tip) {
    const r = 3.6;
    let m;
    if (kind === "square") m = el("rect", {x: x - r, y: y - r, width: 2 * r, height: 2 * r, fill: color}, g);
    else if (kind === "triangle") m = el("path", {d: `M${x},${y - r - 1} L${x + r + 1},${y + r} L${x - r - 1},${y + r} Z`, fill: color}, g);
    else if (kind === "diamond") m = el("path", {d: `M${x},${y - r - 1} L${x + r + 1},${y} L${x},${y + r + 1} L${x - r - 1},${y} Z`, fill: color}, g);
    else if (kind === "cross") m = el("path", {d: `M${x - r},${y - r} L${x + r},${y + r} M${x - r},${y + r} L${x + r},${y - r}`, stroke: color, "stroke-width": 2}, g);
    else if (kind === "plus") m = el("path", {d: `M${x - r},${y} L${x + r},${y} M${x},${y - r} L${x},${y + r}`, stroke: color, "stroke-width": 2}, g);
    else m = el("circle", {cx: x, cy: y, r: r, fill: "#ffffff", stroke: color, "stroke-width": 1.8}, g);
    if (tip) el("title", {}, m).textContent = tip;
    return m;
  }

  // Colours, dashes, markers and hatches: by role (linux, mckernel, ideal) or in palette order.
  function style(c) {
    let k = 0;
    // a series without a role never takes the colour of a role on the same chart
    const taken = c.series.filter(s => s.role && ROLE[s.role]).map(s => ROLE[s.role]);
    const free = PALETTE.filter(p => !taken.includes(p));
    return c.series.map((s, i) => {
      const role = s.role && ROLE[s.role] ? s.role : null;
      const n = role ? null : k++;
      return Object.assign({}, s, {
        color: role ? ROLE[role] : free[n % free.length],
        dash: role === "ideal" ? "6 4" : role === "mckernel" ? "" : role === "linux" ? "" : DASHES[n % DASHES.length],
        marker: role === "ideal" ? null : role === "linux" ? "circle" : role === "mckernel" ? "square" : MARKERS[n % MARKERS.length],
        // colour and hatch together tell any two of 64 series apart
        hatch: c.kind === "bars" ? (role === "linux" ? "diag" : role ? "" : HATCHES[(n + Math.floor(n / free.length)) % HATCHES.length]) : "",
        index: i,
      });
    });
  }

  function draw(c, box) {
    const W = 900, series = style(c);
    const bars = c.kind === "bars";
    // one series of bars: the y axis's label names it, a legend would only repeat it
    const legendW = c.legend === false || (bars && series.length === 1) ? 0 : 190;
    const cats = bars ? c.x.categories : null;
    const longest = cats ? Math.max(...cats.map(s => String(s).length)) : 0;
    // category labels side by side when they fit; names that do not fit are turned, all of them shown;
    // numbers (a histogram's bins) stay level and are thinned out instead
    const plotW = W - 78 - 16 - legendW;
    const numeric = bars && cats.every(s => !/[A-Za-z]/.test(String(s)));
    const need = longest * 6.6 + 8;
    const rotate = bars && !numeric && cats.length * need > plotW;
    const bottom = 56 + (rotate ? Math.min(90, longest * 5.5) : 0);
    const H = (c.height || 340) + (rotate ? bottom - 56 : 0);
    const m = {l: 78, r: 16 + legendW, t: 34, b: bottom};
    const svg = el("svg", {xmlns: NS, width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img"});
    el("rect", {width: W, height: H, fill: "#ffffff"}, svg);
    el("title", {}, svg).textContent = c.title;
    defs(svg, c.id, series);
    text(svg, m.l, 20, c.title, {"font-size": 14, "font-weight": "bold"});
    const x0 = m.l, x1 = W - m.r, y0 = H - m.b, y1 = m.t;
    // the y scale: stacked bars stack their values
    let yvals = [];
    if (bars && c.stacked) {
      cats.forEach((_, j) => yvals.push(series.reduce((a, s) => a + (s.y[j] || 0), 0)));
      series.forEach(s => s.y.forEach(v => { if (v > 0) yvals.push(v); }));
    } else series.forEach(s => s.y.forEach(v => yvals.push(v)));
    // bars stand on the frame; lines and markers keep clear of it
    const ys = scale(yvals, Object.assign({base: c.y.log ? true : false, integer: whole(yvals), pad: bars ? 0 : 8},
                                          c.y), y0, y1);
    let xs;
    if (bars) {
      const bw = (x1 - x0) / cats.length;
      xs = {f: j => x0 + bw * (j + 0.5), bw: bw};
    } else {
      const xv = [];
      series.forEach(s => s.x.forEach(v => xv.push(v)));
      xs = scale(xv, Object.assign({zero: false, integer: whole(xv), pad: 8}, c.x), x0, x1);
    }
    const grid = el("g", {}, svg);
    // y axis: ticks, grid, label
    for (const t of ys.ticks) {
      const y = ys.f(t);
      el("line", {x1: x0, x2: x1, y1: y, y2: y, stroke: "#e3e3e3", "stroke-width": 1}, grid);
      const label = c.y.names ? (c.y.names[t] !== undefined ? c.y.names[t] : "") : fmt(t);
      text(svg, x0 - 6, y + 4, label, {"text-anchor": "end", "font-size": 11});
    }
    const ylab = text(svg, 0, 0, c.y.label, {"text-anchor": "middle", "font-size": 12});
    ylab.setAttribute("transform", `translate(16,${(y0 + y1) / 2}) rotate(-90)`);
    // x axis
    if (bars) {
      const every = Math.max(1, Math.ceil(cats.length * (rotate ? 14 : need) / plotW));
      cats.forEach((s, j) => {
        // the last category (a histogram's open-ended bin) is labelled too, when it has room
        const last = j === cats.length - 1 && j % every >= every / 2;
        if (j % every !== 0 && !last) return;
        const x = xs.f(j);
        el("line", {x1: x, x2: x, y1: y0, y2: y0 + 4, stroke: "#333"}, svg);
        const t = text(svg, x, y0 + 16, String(s), {"text-anchor": rotate ? "end" : "middle", "font-size": 11});
        if (rotate) t.setAttribute("transform", `rotate(-50 ${x} ${y0 + 12})`);
      });
    } else {
      for (const t of xs.ticks) {
        const x = xs.f(t);
        el("line", {x1: x, x2: x, y1: y1, y2: y0, stroke: "#eeeeee"}, grid);
        el("line", {x1: x, x2: x, y1: y0, y2: y0 + 4, stroke: "#333"}, svg);
        text(svg, x, y0 + 16, fmt(t), {"text-anchor": "middle", "font-size": 11});
      }
    }
    text(svg, (x0 + x1) / 2, H - 10, c.x.label, {"text-anchor": "middle", "font-size": 12});
    el("rect", {x: x0, y: y1, width: x1 - x0, height: y0 - y1, fill: "none", stroke: "#333"}, svg);
    const plot = el("g", {}, svg);
    const clip = c.id + "-clip";
    el("rect", {x: x0, y: y1 - 1, width: x1 - x0, height: y0 - y1 + 2}, el("clipPath", {id: clip}, svg.querySelector("defs")));
    plot.setAttribute("clip-path", `url(#${clip})`);
    const fillOf = s => s.hatch ? `url(#${c.id}-h${s.index})` : s.color;
    if (bars) {
      const floor = ys.f(c.y.log ? ys.lo : 0);
      // a zero has no bar (a sliver would read as a small value); the tables hold every zero
      const shown = (s, j) => s.y[j] !== null && s.y[j] !== undefined && s.y[j] !== 0 && !(s.y[j] <= 0 && c.y.log);
      cats.forEach((cat, j) => {
        let acc = 0;
        // side by side: only the series with a bar in this category share its width
        const here = series.filter(s => shown(s, j));
        series.forEach(s => {
          const v = s.y[j];
          if (!shown(s, j)) return;
          const i = here.indexOf(s), n = series.length;
          let xa, w, ya, yb;
          if (c.stacked) {
            w = xs.bw * 0.7; xa = xs.f(j) - w / 2;
            ya = ys.f(c.y.log ? Math.max(ys.lo, acc) : acc); acc += v; yb = ys.f(acc);
          } else {
            w = Math.min(xs.bw * 0.8 / n, 60); xa = xs.f(j) - w * here.length / 2 + i * w;
            ya = floor; yb = ys.f(v);
          }
          const r = el("rect", {x: xa, y: Math.min(ya, yb), width: Math.max(1, w - 0.5), height: Math.max(1, Math.abs(ya - yb)),
                                fill: fillOf(s), stroke: "#222", "stroke-width": 0.4}, plot);
          el("title", {}, r).textContent = `${s.label}, ${cat}: ${fmt(v)}`;
        });
      });
    } else {
      // the ideal last, on top
      const order = series.filter(s => s.role !== "ideal").concat(series.filter(s => s.role === "ideal"));
      for (const s of order) {
        let d = "", open = false, prevY = null;
        s.x.forEach((xv, k) => {
          const yv = s.y[k];
          if (yv === null || yv === undefined || (c.y.log && yv <= 0) || (c.x.log && xv <= 0)) { open = false; return; }
          const px = xs.f(xv), py = ys.f(yv);
          if (c.kind === "steps" && open) d += ` L${px},${prevY}`;
          d += (open ? " L" : " M") + px + "," + py;
          open = true; prevY = py;
        });
        if (c.kind !== "points") el("path", {d: d, fill: "none", stroke: s.color, "stroke-width": s.role === "ideal" ? 1.6 : s.width || 2,
                    "stroke-dasharray": s.dash || null, "stroke-linejoin": "round"}, plot);
        if (s.marker && (s.x.length <= 80 || c.kind === "points")) {
          s.x.forEach((xv, k) => {
            const yv = s.y[k];
            if (yv === null || yv === undefined || (c.y.log && yv <= 0)) return;
            marker(plot, s.marker, xs.f(xv), ys.f(yv), s.color, s.tips ? s.tips[k] : `${s.label}: ${fmt(xv)}, ${fmt(yv)}`);
          });
        }
      }
    }
    // the legend: part of the drawing
    if (legendW) {
      const g = el("g", {}, svg);
      let y = m.t + 8;
      // a stack's legend reads top-down as the stack does
      for (const s of c.stacked ? series.slice().reverse() : series) {
        const lx = x1 + 14;
        if (bars) {
          el("rect", {x: lx, y: y - 9, width: 22, height: 12, fill: fillOf(s), stroke: "#222", "stroke-width": 0.5}, g);
        } else if (c.kind === "points") {
          marker(g, s.marker, lx + 13, y - 3, s.color);
        } else {
          el("line", {x1: lx, x2: lx + 26, y1: y - 3, y2: y - 3, stroke: s.color, "stroke-width": 2, "stroke-dasharray": s.dash || null}, g);
          if (s.marker) marker(g, s.marker, lx + 13, y - 3, s.color);
        }
        const words = String(s.label).split(" ");
        let line = "", dy = 0;
        for (const w of words) {
          if ((line + " " + w).trim().length > 22 && line) { text(g, lx + 32, y + dy, line, {"font-size": 11}); line = w; dy += 13; }
          else line = (line + " " + w).trim();
        }
        text(g, lx + 32, y + dy, line, {"font-size": 11});
        y += dy + 19;
      }
    }
    box.appendChild(svg);
    if (c.note) {
      const p = document.createElement("p");
      p.className = "chart-note";
      p.textContent = c.note;
      box.appendChild(p);
    }
    buttons(box, svg, c.id);
  }

  function save(name, blob) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function buttons(box, svg, id) {
    const bar = document.createElement("div");
    bar.className = "chart-save";
    const svgText = () => '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
    const b1 = document.createElement("button");
    b1.textContent = "Save SVG";
    b1.onclick = () => save(id + ".svg", new Blob([svgText()], {type: "image/svg+xml"}));
    const b2 = document.createElement("button");
    b2.textContent = "Save PNG";
    b2.onclick = () => {
      const img = new Image(), k = 3;
      img.onload = () => {
        const cv = document.createElement("canvas");
        cv.width = svg.width.baseVal.value * k; cv.height = svg.height.baseVal.value * k;
        const g = cv.getContext("2d");
        g.scale(k, k);
        g.drawImage(img, 0, 0);
        cv.toBlob(b => save(id + ".png", b), "image/png");
      };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText());
    };
    bar.append(b1, " ", b2);
    box.appendChild(bar);
  }

  let drawn = 0;
  for (const c of CHARTS) {
    const box = document.getElementById(c.id);
    try {
      draw(c, box);
      box.setAttribute("data-drawn", "true");
      drawn++;
    } catch (e) {
      errors.push(c.id + ": " + e.message);
      document.documentElement.setAttribute("data-script-errors", errors.join(" | "));
      box.textContent = "This chart could not be drawn: " + e.message;
    }
  }
  document.documentElement.setAttribute("data-charts-drawn", String(drawn));
})();
