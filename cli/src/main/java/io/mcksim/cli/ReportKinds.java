package io.mcksim.cli;

import static io.mcksim.cli.ReportKind.bool;
import static io.mcksim.cli.ReportKind.concat;
import static io.mcksim.cli.ReportKind.fields;
import static io.mcksim.cli.ReportKind.integer;
import static io.mcksim.cli.ReportKind.number;
import static io.mcksim.cli.ReportKind.string;
import static io.mcksim.cli.ReportKind.table;

import java.util.ArrayList;
import java.util.List;

/**
 * Every kind of report mcksim writes, declared: what {@code report.json} holds for each and which
 * tables (CSV files) come with it. docs/schemas/ has one JSON Schema per kind, generated from these.
 */
final class ReportKinds {

  private ReportKinds() {}

  /** The stages of an offloaded call, as syscall tables name their columns ({@code stage_marshal_ns}, ...). */
  static final List<String> STAGES = List.of("marshal", "ikcEnqueue", "ikcTrip", "ipi", "mcctrlDispatch",
      "proxyWakeup", "linuxService", "replyWrite", "resume");

  private static List<ReportKind.Field> syscallColumns() {
    List<ReportKind.Field> c = new ArrayList<>(fields(
        string("syscall", "the Linux x86_64 name"),
        string("on_mckernel", "local, offloaded or offloaded (hybrid)"),
        integer("calls", "times it was made"),
        number("mckernel_mean_ns", "mean latency on McKernel"),
        integer("mckernel_min_ns", "shortest call on McKernel"),
        integer("mckernel_max_ns", "longest call on McKernel"),
        integer("stages_ns", "its configured stages summed (the local cost for a local call)"),
        number("beyond_stages_ns", "McKernel's mean minus its stages: queueing and waiting"),
        number("linux_native_mean_ns", "mean latency natively on a Linux CPU"),
        integer("linux_entry_ns", "a native call's entry and exit"),
        integer("linux_service_ns", "the Linux service time (native, and the offloaded call's linux_service stage)"),
        number("overhead_ns", "McKernel's mean minus Linux's native mean (negative: McKernel is faster)"),
        integer("local_ns", "a local call's cost; empty for an offloaded call").orNull()));
    for (String s : STAGES) {
      c.add(integer("stage_" + ReportKind.snake(s) + "_ns", "an offloaded call's " + s + " stage; empty for a "
          + "local call").orNull());
    }
    return List.copyOf(c);
  }

  /** One row per core of FWQ ({@code unit} ns: nanoseconds per iteration) or FTQ (units of work per quantum). */
  private static List<ReportKind.Field> noiseSummary(String unit) {
    return fields(
        string("kernel", "linux or mckernel"),
        integer("cpu", "the CPU number on the node"),
        integer("iterations", "samples taken"),
        number("mean_" + unit, "mean sample"),
        integer("p50_" + unit, "median sample"),
        integer("p99_" + unit, "99th percentile"),
        integer("p999_" + unit, "99.9th percentile"),
        integer("max_" + unit, "largest sample"),
        number("noise_fraction", "time not spent on the quanta (FWQ), or work not done (FTQ), over the whole"));
  }

  static final ReportKind SYSCALLS = new ReportKind("syscalls", "mcksim: system-call latency, McKernel against Linux",
      "mcksim run with workload.type = syscalls",
      fields(string("table", "McKernel's syscall table"), integer("calls_each", "calls made of each")),
      List.of(table("syscalls", "one row per call", ReportKind.array(syscallColumns()))));

  private static ReportKind noise(String kind, String title, String unit, String sample) {
    return new ReportKind(kind, title, "mcksim run with workload.type = " + kind,
        fields(integer("quantum_ns", "the work of one iteration (FWQ) or the length of one quantum (FTQ)"),
            integer("ideal_" + unit, "a sample without noise"),
            string("noise_profile", "the Linux cores' noise profile")),
        List.of(table(kind + "_summary", "one row per core, Linux cores first", ReportKind.array(noiseSummary(unit))),
            table(kind + "_samples", "the first 10,000 samples of every core (run --raw-samples writes every one to "
                + kind + "-raw-samples.csv)", string("kernel", "linux or mckernel"),
                integer("cpu", "the CPU number"), integer("iteration", "from 0"), integer(unit, sample)).csvOnly(),
            table(kind + "_noise_histogram", "samples by the noise in them, all Linux cores and all McKernel cores",
                integer("noise_from_" + unit, "the bin's lower bound (the ideal minus or plus the sample)"),
                integer("noise_to_" + unit, "its upper bound, exclusive; empty for the last bin, which holds all "
                    + "beyond").orNull(),
                integer("linux_samples", "samples of Linux cores in the bin"),
                integer("mckernel_samples", "samples of McKernel cores in the bin"))));
  }

  static final ReportKind FWQ = noise("fwq", "mcksim: OS noise, fixed work quanta (FWQ)", "ns",
      "ns the iteration took");
  static final ReportKind FTQ = noise("ftq", "mcksim: OS noise, fixed time quanta (FTQ)", "units",
      "units of work done in the quantum");

  static final ReportKind CHAOS_CAMPAIGN = new ReportKind("chaos_campaign", "mcksim: chaos campaign",
      "mcksim chaos FILE --seeds A..B",
      fields(integer("first_seed", "the first seed run"), integer("last_seed", "the last seed run"),
          integer("seeds", "seeds run"), integer("ok", "seeds whose every invariant held"),
          integer("violations", "seeds that broke an invariant (model errors included)"),
          integer("model_errors", "seeds whose run an exception of the model stopped (verdict model-error)"),
          integer("faults_fired", "faults that struck, over all seeds"),
          integer("recoveries", "reboots and relaunches, over all seeds"),
          number("seeds_per_hour", "seeds over the campaign's wall time"),
          string("replay_command", "the command that replays the first failed seed; empty when none failed")
              .orNull()),
      List.of(
          table("faults_by_kind", "faults that struck, by kind, over the campaign",
              string("kind", "the fault's kind (docs/chaos.md)"), integer("faults", "times it struck"),
              integer("seeds", "seeds in which it struck at least once")),
          table("job_outcomes", "the nodes' job outcomes, over every node of every seed",
              string("outcome", "done, restarted-done, failed, ..."), integer("nodes", "node runs that ended so")),
          table("seeds", "one row per seed", integer("seed", "the seed"), integer("faults", "faults that struck"),
              integer("recoveries", "reboots and relaunches"), integer("reboots", "instances rebooted"),
              integer("relaunches", "jobs relaunched"), string("jobs", "the nodes' job outcomes"),
              string("verdict", "ok, the invariant that failed, or model-error"),
              integer("violation_time_ns", "when it failed; empty when ok").orNull(),
              integer("events", "events of the seed's run"), string("digest", "its event-log digest")),
          table("failed_seeds", "every seed that broke an invariant, with the command that replays it",
              integer("seed", "the seed"), string("invariant", "the invariant that failed"),
              integer("time_ns", "when"), string("detail", "what the check saw"),
              string("replay_command", "replays it with its full event log"))));

  static final ReportKind CHAOS_REPLAY = new ReportKind("chaos_replay", "mcksim: chaos replay of one seed",
      "mcksim chaos FILE --replay SEED",
      fields(integer("replayed_seed", "the seed replayed"), integer("faults_fired", "faults that struck"),
          integer("recoveries", "reboots and relaunches"), integer("reboots", "instances rebooted"),
          integer("relaunches", "jobs relaunched"), string("jobs", "the nodes' job outcomes"),
          string("verdict", "ok, or the invariant that failed"),
          integer("violation_time_ns", "when it failed; null when ok").orNull(),
          string("violation_detail", "what the check saw; null when ok").orNull(),
          integer("end_ns", "virtual time at the end"), string("event_log", "the full event log's file")),
      List.of(
          table("faults_by_kind", "faults that struck, by kind", string("kind", "the fault's kind"),
              integer("faults", "times it struck")),
          table("timeline", "per node: the faults, the OS instances' state changes, the recoveries and the "
                  + "job's launches and ends, in virtual time (read from the event log)",
              integer("time_ns", "virtual time"), integer("node", "the node"),
              string("category", "fault, state, recovery or job"), string("what", "what happened"))));

  static final ReportKind TRACE = new ReportKind("trace", "mcksim: what McKernel would do to this program",
      "mcksim trace FILE...",
      fields(string("timing", "the trace's timestamps"), bool("durations", "whether calls carry their duration (-T)"),
          integer("lines", "lines read"), integer("calls", "system calls"), integer("threads", "threads"),
          integer("unreadable_count", "lines that could not be read (listed in unreadable.csv)"),
          integer("warning_count", "warnings (listed in warnings.csv)"),
          integer("recorded_ns", "from the first call's start to the last call's end"),
          integer("compute_ns", "compute between calls"),
          integer("mckernel_ns", "predicted runtime under McKernel; null when not replayed").orNull(),
          integer("linux_ns", "predicted runtime under Linux; null when not replayed").orNull(),
          integer("saved_ns", "time McKernel saves, summed over the calls where it is faster"),
          integer("added_ns", "time McKernel adds, summed over the calls where it is slower"),
          integer("offload_overhead_ns", "the offload stages of every offloaded call, Linux's service not counted")),
      List.of(
          table("trace_syscalls", "one row per system call, the most time added first and the most saved last",
              string("syscall", "the name"), string("where", "on McKernel: local, offloaded, ..."),
              integer("calls", "times it was made"), integer("mckernel_ns", "its total time under McKernel"),
              integer("linux_ns", "its total time under Linux"),
              integer("added_ns", "McKernel minus Linux: positive costs, negative saves")),
          table("trace_stages", "per offload stage, its configured cost times the offloaded calls that pay it",
              string("stage", "the stage"), integer("total_ns", "its total"),
              bool("overhead", "false for linux_service: Linux does that work natively too, so it is no offload "
                  + "overhead")),
          table("unreadable", "the first lines that could not be read (unreadable_count says how many in all)",
              string("file", "the trace file"), integer("line", "its line number"), string("why", "what was wrong")),
          table("warnings", "the first warnings (warning_count says how many in all)", string("warning", "the text"))));

  /** One row per BSP run. */
  static final ReportKind.TableSpec BSP_RUNS = table("bsp_runs", "every BSP run, each node count under Linux then "
          + "under McKernel",
      integer("nodes", "nodes"), string("os", "linux or mckernel"), integer("cpus", "application CPUs of the whole "
          + "machine"), integer("runtime_ns", "until the last rank left its last iteration"),
      integer("ideal_ns", "the noiseless ideal"), number("slowdown", "runtime over ideal"),
      integer("events", "events of the run"), string("digest", "its event-log digest"));

  /** Linux against McKernel per node count. */
  static final ReportKind.TableSpec BSP_SPEEDUP = table("bsp_speedup", "one row per node count",
      integer("nodes", "nodes"), integer("linux_ns", "Linux's runtime"), integer("mckernel_ns", "McKernel's runtime"),
      integer("ideal_ns", "the noiseless ideal"), number("speedup", "Linux's runtime over McKernel's"));

  static final ReportKind SHOWCASE = new ReportKind("showcase", "mcksim report: the showcase",
      "mcksim run with the default scenario (workload.type = showcase)",
      concat(fields(integer("cpus", "CPUs of the node"), integer("mckernel_cpus", "CPUs McKernel was given"),
              integer("boot_ns", "from BOOTING to RUNNING"),
              integer("ready_ns", "from time 0 until mcreboot.sh had seen the instance RUNNING and returned"),
              integer("fwq_iterations", "FWQ iterations per core"), string("syscall_table", "McKernel's syscall table"),
              integer("syscall_calls_each", "calls made of each system call"),
              integer("bsp_iterations", "iterations of each BSP run"),
              string("bsp_quantum", "each BSP thread's compute per iteration"),
              string("bsp_collective", "the collective of each BSP iteration")),
          FWQ.summary()),
      concat2(List.of(
          table("os_states", "every change of an OS instance's state, in order", integer("time_ns", "when it changed"),
              integer("os", "the OS instance (/dev/mcosN)"), string("state", "as ihkosctl get status shows it")),
          table("kmsg", "the instance's kernel log", integer("line", "from 1"), string("text", "the line"))),
          FWQ.tables(), SYSCALLS.tables(), List.of(BSP_RUNS, BSP_SPEEDUP)));

  static final ReportKind PROGRAMS = new ReportKind("programs", "mcksim: your programs",
      "mcksim run with workload.type = programs",
      fields(string("model", "mckernel (under mcexec) or linux (natively)"),
          string("table", "McKernel's syscall table, or linux")),
      List.of(
          table("programs", "one row per program",
              string("name", "the program"), integer("pid", "its pid"),
              integer("instance", "the OS instance it ran on; null on Linux").orNull(), integer("cpu", "its first CPU"),
              integer("exit_status", "exit status"), integer("exit_signal", "the signal that ended it, 0 if none"),
              integer("shell_status", "what a shell's $? shows"), integer("start_ns", "when it started"),
              integer("exit_ns", "when it ended; -1 if it did not"), integer("runtime_ns", "exit minus start; -1 if it "
                  + "did not end"), integer("offloaded", "calls offloaded to Linux"),
              integer("queued", "offloads that waited for a proxy"), integer("remote_faults", "remote page faults"),
              integer("view_reads", "reads of its memory by the Linux view"),
              integer("view_bytes", "bytes read so"), integer("page_faults", "page faults")),
          table("program_syscalls", "one row per program and system call",
              string("program", "the program"), string("syscall", "the call"), string("where", "local, offloaded, ..."),
              integer("calls", "times it was made"), number("mean_ns", "mean latency"), integer("min_ns", "shortest"),
              integer("max_ns", "longest")),
          table("performance_counters", "McKernel's pmc_* counters of each program's CPU (none on Linux)",
              string("program", "the program"), string("event", "the counter's event"), integer("value", "its count")),
          table("kmsg", "the instances' kernel log", integer("line", "from 1"), string("text", "the line"))));

  private static final List<ReportKind.Field> BSP_FIELDS = fields(
      string("os", "linux, mckernel, or another os.model"), integer("nodes", "nodes"),
      integer("ranks_per_node", "ranks per node"), integer("threads_per_rank", "threads per rank"),
      integer("cpus", "application CPUs of the whole machine"), string("collective", "the collective of each iteration"),
      integer("iterations", "iterations"), integer("runtime_ns", "until the last rank left its last iteration"),
      integer("ideal_ns", "the noiseless ideal"), number("slowdown", "runtime over ideal"),
      integer("noise_stolen_ns", "CPU time noise took from the application"), integer("offloads", "calls offloaded"),
      integer("calls", "system calls made"), integer("failed_calls", "calls that failed"),
      integer("jvm_messages", "messages between JVMs (0 in one JVM)"),
      integer("heap_bytes", "heap the run took; 0 when not measured"));

  static final ReportKind BSP = new ReportKind("bsp", "mcksim: a bulk-synchronous application",
      "mcksim run with workload.type = bsp", BSP_FIELDS,
      List.of(table("bsp_iterations", "one row per iteration",
          integer("iteration", "from 0"), integer("time_ns", "how long it took"),
          integer("end_ns", "when it ended, from the start"))));

  static final ReportKind SWEEP = new ReportKind("sweep", "mcksim: a sweep of BSP runs",
      "mcksim run with workload.type = bsp and a sweep section",
      fields(integer("runs", "runs of the sweep"), string("keys", "the keys swept, comma-separated")),
      List.of(
          table("sweep_runs", "one row per run", integer("run", "from 1"),
              string("point", "the run's values of the swept keys, key=value, comma-separated"),
              string("os", "its os.model"), integer("nodes", "its nodes"),
              integer("runtime_ns", "until the last rank left its last iteration"), integer("ideal_ns", "the noiseless "
                  + "ideal"), number("slowdown", "runtime over ideal"), integer("events", "events of the run"),
              number("wall_s", "its wall time"), string("digest", "its event-log digest")),
          table("sweep_values", "every run's value of every swept key", integer("run", "from 1"),
              string("key", "the key"), string("value", "its value in that run")),
          table("sweep_speedup", "McKernel against Linux, per combination of the other keys (when os.model is swept)",
              string("point", "the other keys' values"), integer("linux_ns", "Linux's runtime"),
              integer("mckernel_ns", "McKernel's runtime"), number("linux_slowdown", "Linux's runtime over ideal"),
              number("mckernel_slowdown", "McKernel's"), number("speedup", "Linux's runtime over McKernel's"))));

  static final ReportKind PHOLD = new ReportKind("phold", "mcksim: PHOLD, the engine's benchmark",
      "mcksim run with workload.type = phold",
      fields(string("model", "the model"), integer("entities", "entities"), integer("domains", "domains"),
          integer("population", "events in flight"), integer("lookahead_ns", "the lookahead"),
          integer("mean_delay_ns", "mean delay of an event"), number("remote_fraction", "events sent to another domain"),
          integer("windows", "windows"), integer("batches", "batches"), integer("virtual_end_ns", "virtual time reached"),
          integer("bytes_per_entity", "heap per entity; 0 when not measured")),
      List.of());

  static final ReportKind COMPARE_OS = new ReportKind("compare_os", "mcksim: HPC OS designs side by side",
      "mcksim compare-os",
      fields(string("calls", "the system calls of each iteration, comma-separated"),
          string("node_counts", "the node counts, comma-separated")),
      List.of(
          table("compare_os_runs", "every run: one BSP application under each design at each node count",
              string("model", "the design (os.model)"), integer("nodes", "nodes"), integer("runtime_ns", "runtime"),
              integer("ideal_ns", "the noiseless ideal"), number("slowdown", "runtime over ideal"),
              string("digest", "its event-log digest")),
          table("compare_os_models", "one row per design: measured in this run (at the largest node count, and crashes "
                  + "of node 0 halfway through the run at the first) and declared from the designs' documentation",
              string("model", "the design"), number("slowdown_measured", "runtime over ideal"),
              number("noise_fraction_measured", "CPU time noise took, over all the CPU time"),
              number("api_coverage_measured", "calls that did not fail, over all calls"),
              string("device_mapping_measured", "usable, or refused (ENOSYS)"),
              string("lwk_crash_measured", "what a crash of node 0's LWK left"),
              string("linux_crash_measured", "what a crash of node 0's Linux left"),
              string("linux_modified_declared", "whether Linux is changed, from the design's documentation"),
              string("isolation_design_declared", "how it isolates, from the design's documentation"),
              string("effort_declared", "the porting effort, from the design's documentation"))));

  /** A benchmark of both engines: whether the sequential baseline ran too, and the figures against it. */
  private static final List<ReportKind.Field> ENGINES_COMPARED = fields(
      bool("compare", "whether both engines ran (--compare): the sequential engine is the baseline, measured in the "
          + "same run"),
      number("ratio", "the actor engine's events per second over the sequential engine's; null without --compare")
          .orNull(),
      bool("same_digest", "whether both engines gave the same event-log digest; null without --compare").orNull());

  static final ReportKind BENCH_PHOLD = new ReportKind("bench_phold", "mcksim bench: PHOLD on the engines",
      "mcksim bench phold",
      concat(fields(string("model", "the model"), integer("entities", "entities"), integer("domains", "domains"),
          integer("population", "events in flight per entity"), integer("lookahead_ns", "the lookahead"),
          integer("mean_delay_ns", "mean delay of an event"),
          number("remote_fraction", "events sent to another domain"),
          integer("rounds", "runs of each engine (--rounds); each engine's fastest is compared")), ENGINES_COMPARED),
      List.of(table("bench_phold_runs", "one row per engine run, round by round, the sequential baseline first in "
          + "each",
          string("engine", "sequential or actors"), integer("round", "the round, from 1 (--rounds)"),
          bool("kept", "whether this is its engine's fastest run, the one the summary and chart compare"),
          integer("threads", "threads of the engine"),
          integer("events", "events processed"), integer("windows", "windows"), integer("batches", "batches"),
          integer("virtual_end_ns", "virtual time reached"), number("wall_s", "wall time of the run"),
          number("events_per_s", "events over the wall time"),
          integer("bytes_per_entity", "heap growth per entity, measured at the end; 0 when not measured"),
          string("digest", "the run's event-log digest"))));

  static final ReportKind BENCH_BSP = new ReportKind("bench_bsp", "mcksim bench: a BSP run on the engines",
      "mcksim bench bsp",
      concat(fields(string("os", "the OS model"), integer("nodes", "nodes"),
          integer("cpus", "application CPUs of the whole machine, each an entity"),
          integer("iterations", "iterations")), ENGINES_COMPARED),
      List.of(table("bench_bsp_runs", "one row per engine run, the sequential baseline first",
          string("engine", "sequential or actors"), integer("threads", "threads of the engine"),
          integer("events", "events processed"), number("wall_s", "wall time of the run"),
          number("events_per_s", "events over the wall time"),
          integer("runtime_ns", "the application's runtime in virtual time"),
          integer("heap_bytes", "heap in use at the end; 0 when not measured (with --compare)"),
          integer("bytes_per_cpu", "heap per application CPU; 0 when not measured"),
          string("digest", "the run's event-log digest"))));

  static final ReportKind BENCH_IKC = new ReportKind("bench_ikc", "mcksim bench: IKC channels against plain actor "
      + "messaging", "mcksim bench ikc",
      fields(integer("threads", "dispatcher threads"), integer("capacity", "ring slots of each channel"),
          integer("packets_per_channel", "packets through each channel of the throughput runs"),
          integer("rounds", "measured rounds of each side, alternating; each keeps its fastest"),
          integer("bytes_per_idle_channel", "heap of a channel's two endpoints, never used"),
          integer("bytes_per_active_channel", "heap of a used channel: its endpoints and its lane"),
          integer("active_endpoint_bytes", "of which its endpoints"),
          integer("active_lane_bytes", "of which its lane in the node's IKC stream"),
          integer("channels_measured", "channels the memory figures are measured over")),
      List.of(
          table("bench_ikc_throughput", "packets per second through IKC channels on the actor engine, against "
                  + "producer and consumer actors exchanging as many plain messages with the same window (the "
                  + "baseline, measured in the same run)",
              integer("channels", "channels (and producer/consumer pairs) at once"),
              number("ikc_packets_per_s", "packets per second through the IKC channels"),
              number("plain_actor_messages_per_s", "the baseline: plain actor messages per second"),
              number("ratio", "IKC over the baseline")),
          table("bench_ikc_floods", "one channel flooded into a slow reader on the actor engine, through the "
                  + "standard stream and through one with buffers far smaller than the ring, each against the "
                  + "same flood on the sequential engine",
              string("stream", "standard, or tight (buffers far smaller than the ring)"),
              integer("channel_buffer_chunks", "the tight stream's buffer per channel; null for the standard one")
                  .orNull(),
              integer("entry_buffer_chunks", "the tight stream's entry queue; null for the standard one").orNull(),
              integer("packets", "packets the reader handled"), number("wall_s", "wall time on the actor engine"),
              number("packets_per_s", "packets over that wall time"),
              integer("peak_old_gen_mib", "the old generation's peak (what survives), MiB"),
              integer("live_heap_at_end_mib", "heap in use at the end, after a full collection, MiB"),
              integer("peak_heap_with_garbage_mib", "the heap pools' peak, young garbage included, MiB"),
              number("stall_s", "virtual time the writer waited for credits, seconds"),
              integer("peak_occupancy", "the ring's fullest"),
              integer("stream_push_backs", "times the stream pushed back on the writer"),
              string("digest", "the actor engine's event-log digest"),
              string("sequential_digest", "the sequential engine's"),
              number("sequential_wall_s", "wall time on the sequential engine"),
              bool("digests_equal", "whether both digests and packet counts are equal"))));

  static final ReportKind BENCH_CHAOS = new ReportKind("bench_chaos", "mcksim bench: a chaos campaign against "
      + "the same seeds with faults off", "mcksim bench chaos",
      fields(integer("nodes", "nodes of the scenario"), integer("threads", "seeds run at once"),
          integer("first_seed", "the first seed of each campaign"), integer("last_seed", "the last"),
          integer("warm_up_seeds", "seeds of each campaign run first, not measured"),
          integer("rounds", "measured rounds of each campaign, alternating; each keeps its fastest"),
          string("baseline_overrides", "what switches every fault off for the baseline, comma-separated"),
          number("ratio_seeds_per_hour", "the campaign's seeds per hour over the baseline's"),
          number("ratio_events_per_s", "the campaign's events per second over the baseline's")),
      List.of(table("bench_chaos_campaigns", "the baseline (every fault off) and the chaos campaign, each its "
              + "fastest round",
          string("campaign", "baseline (faults off) or chaos"), integer("seeds", "seeds run"),
          number("wall_s", "wall time of the round"), number("seeds_per_hour", "seeds over the wall time"),
          integer("events", "events of every seed"), integer("events_per_seed", "events over seeds"),
          number("events_per_s", "events over the wall time"), number("faults_per_seed", "faults that struck, "
              + "over seeds"), integer("min_faults_per_seed", "the fewest faults of a seed"),
          integer("violations", "seeds that broke an invariant"),
          integer("first_violating_seed", "the first of them; null when none").orNull(),
          string("digest", "SHA-256 over the seeds' event-log digests in seed order"))));

  /** A finding of {@code bench fuzz}: the mutant (seed, example, mutation), the command and what went wrong. */
  private static ReportKind.Field[] fuzzFinding(ReportKind.Field... more) {
    List<ReportKind.Field> f = new ArrayList<>(fields(integer("seed", "the mutant's seed"),
        string("example", "the example it mutates, by file name"), string("mutation", "the kind of mutation"),
        string("change", "what the mutation changed"), string("command", "config or run"),
        integer("exit_code", "the command's exit code; -1 if it hung or a Throwable escaped"),
        string("problem", "what went wrong")));
    f.addAll(List.of(more));
    return f.toArray(ReportKind.Field[]::new);
  }

  static final ReportKind BENCH_FUZZ = new ReportKind("bench_fuzz", "mcksim bench: mutation fuzzing of the "
      + "examples", "mcksim bench fuzz",
      fields(string("examples", "the examples mutated, by file name, comma-separated"),
          integer("first_seed", "the first mutant's seed"), integer("last_seed", "the last mutant's seed"),
          integer("mutants", "mutants run"), bool("run", "whether the mutants config accepted went through run too"),
          integer("timeout_s", "the guard timeout of each command"),
          integer("failures", "commands that ended otherwise than with exit 0 or 2 and no stack trace"),
          integer("refused_by_run", "mutants config accepted and run refused (exit 2): no failure"),
          integer("hangs", "commands still running at the guard timeout"),
          bool("stopped", "whether the campaign stopped early, after too many hangs")),
      List.of(
          table("bench_fuzz_outcomes", "commands by outcome: the exit code, hung, Throwable (one escaped), or "
                  + "skipped",
              string("command", "config or run"), string("outcome", "the exit code, hung, Throwable or why it was "
                  + "skipped"), integer("commands", "commands that ended so")),
          table("bench_fuzz_mutations", "mutants by mutation, and how config and run ended on them",
              string("mutation", "the kind of mutation"), integer("mutants", "mutants of this kind"),
              integer("config_exit_0", "accepted by config"), integer("config_exit_2", "refused by config"),
              integer("run_exit_0", "run to their end"), integer("run_exit_2", "refused by run"),
              integer("failures", "mutants with a failure")),
          table("bench_fuzz_failures", "the failures, each with its "
              + "mutant's file in the report folder", fuzzFinding(string("mutant_file", "the mutant, in the report "
                  + "folder"), string("output", "the start of what the command printed, and where it hung or what "
                  + "escaped"))),
          table("bench_fuzz_refused_by_run", "mutants config accepted and run refused (exit 2)", fuzzFinding())));

  /** Every kind, in the order docs/schemas/ lists them. */
  static final List<ReportKind> ALL = List.of(SHOWCASE, SYSCALLS, FWQ, FTQ, PROGRAMS, BSP, SWEEP, PHOLD,
      CHAOS_CAMPAIGN, CHAOS_REPLAY, TRACE, COMPARE_OS, BENCH_PHOLD, BENCH_BSP, BENCH_IKC, BENCH_CHAOS,
      BENCH_FUZZ);

  @SafeVarargs
  private static List<ReportKind.TableSpec> concat2(List<ReportKind.TableSpec>... parts) {
    List<ReportKind.TableSpec> all = new ArrayList<>();
    for (List<ReportKind.TableSpec> p : parts) {
      all.addAll(p);
    }
    return List.copyOf(all);
  }

  static ReportKind named(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no report kind " + name));
  }
}
