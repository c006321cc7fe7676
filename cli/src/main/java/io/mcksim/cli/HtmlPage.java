package io.mcksim.cli;

import java.util.List;

/**
 * One self-contained report page: uPlot's script and style inlined from its webjar, the page's data
 * inlined as JavaScript, nothing fetched. The pages of {@code run} (the showcase, sweeps) and
 * {@code trace} are built with it.
 */
final class HtmlPage {

  private static final String STYLE = """
      body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
             max-width: 1000px; padding: 0 1em; color: #1d232a; }
      h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #d8dee4; }
      .lead { color: #4b5563; }
      table { border-collapse: collapse; margin: 0.8em 0; }
      th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e5e7eb; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      table.meta td { text-align: left; }
      .chart { margin: 1em 0; }
      .wide { overflow-x: auto; }
      pre { background: #f6f8fa; padding: 0.8em; overflow-x: auto; font-size: 12px; }
      code { font-size: 13px; }
      """;

  private final String title;
  private final StringBuilder body = new StringBuilder();

  HtmlPage(String title) {
    this.title = title;
  }

  /** Markup as is (callers escape what they put in it). */
  HtmlPage raw(String html) {
    body.append(html).append('\n');
    return this;
  }

  HtmlPage heading(int level, String text) {
    return raw("<h" + level + ">" + esc(text) + "</h" + level + ">");
  }

  HtmlPage paragraph(String text) {
    return raw("<p>" + esc(text) + "</p>");
  }

  /** Where the chart script draws chart {@code id}. */
  HtmlPage chart(String id) {
    return raw("<div class=\"chart\" id=\"" + id + "\"></div>");
  }

  /** A table, its cells escaped. */
  HtmlPage table(String[] head, List<String[]> rows) {
    return raw(tableHtml(head, rows));
  }

  /** The markup of {@link #table}, for pages that assemble their own. */
  static String tableHtml(String[] head, List<String[]> rows) {
    StringBuilder t = new StringBuilder("<div class=\"wide\"><table><tr>");
    for (String h : head) {
      t.append("<th>").append(esc(h)).append("</th>");
    }
    t.append("</tr>");
    for (String[] r : rows) {
      t.append("<tr>");
      for (String c : r) {
        t.append("<td>").append(esc(c)).append("</td>");
      }
      t.append("</tr>");
    }
    return t.append("</table></div>").toString();
  }

  /**
   * The page.
   *
   * @param data   JavaScript that defines the charts' data (JSON inlined; a "</" in it is escaped)
   * @param charts JavaScript that draws the charts with uPlot
   */
  String render(String data, String charts) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>" + esc(title) + "</title>\n<style>\n" + uplot("uPlot.min.css") + "\n" + STYLE
        + "</style>\n<script>\n" + uplot("uPlot.iife.min.js") + "\n</script>\n</head><body>\n"
        + body + "<script>\n" + data.replace("</", "<\\/") + "\n" + charts + "</script>\n</body></html>\n";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String uplot(String file) {
    String path = "/META-INF/resources/webjars/uplot/1.6.30/dist/" + file;
    try (java.io.InputStream in = HtmlPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("uPlot is not on the class path (" + path + "); rebuild with Maven");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
