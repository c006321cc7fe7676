package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output on stdout, errors on stderr, exit codes. */
class McksimCliTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static CliRun runWithInput(String input, String... args) {
    return CliRun.withInput(input, args);
  }

  @Test
  void benchPholdCompareRunsBothEnginesAndPrintsOneJsonObject(@TempDir Path dir) throws IOException {
    CliRun o = run("bench", "phold", "--entities", "2000", "--domains", "4", "--end-time", "10us",
        "--threads", "2", "--compare", "--out", dir.resolve("bench").toString());
    assertThat(o.code()).as(o.err()).isZero();
    String json = o.out().trim();
    assertThat(json).startsWith("{\"sequential\": {\"engine\": \"sequential\"")
        .contains("\"actors\": {\"engine\": \"actors\", \"threads\": 2")
        .contains("\"ratio\": ")
        .contains("\"sameDigest\": true");
    for (String field : new String[] {"entities", "domains", "events", "virtualEndNs", "wallSeconds",
        "eventsPerSecond", "bytesPerEntity", "digest"}) {
      assertThat(json).contains("\"" + field + "\": ");
    }
    // the report: three rounds of both runs, the baseline first in each, and where it is on standard error
    assertThat(dir.resolve("bench").resolve("report.json")).content().contains("\"kind\": \"bench_phold\"",
        "\"compare\": true", "\"same_digest\": true", "\"rounds\": 3");
    assertThat(json).contains("\"rounds\": 3", "\"eventsPerSecondByRound\": [");
    List<String> rows = Files.readAllLines(dir.resolve("bench").resolve("bench-phold-runs.csv"));
    assertThat(rows.get(0)).startsWith("engine,round,kept,threads,events,");
    assertThat(rows.subList(1, rows.size())).hasSize(6)
        .extracting(r -> r.substring(0, r.indexOf(',')) + " " + r.split(",")[1])
        .containsExactly("sequential 1", "actors 1", "sequential 2", "actors 2", "sequential 3", "actors 3");
    // one kept run per engine: its fastest, whose events per second the summary shows
    for (String engine : new String[] {"sequential", "actors"}) {
      List<String> runs = rows.stream().filter(r -> r.startsWith(engine + ",")).toList();
      assertThat(runs).filteredOn(r -> r.split(",")[2].equals("true")).hasSize(1);
      String kept = runs.stream().filter(r -> r.split(",")[2].equals("true")).findFirst().orElseThrow();
      double best = runs.stream().mapToDouble(r -> Double.parseDouble(r.split(",")[9])).max().orElseThrow();
      assertThat(Double.parseDouble(kept.split(",")[9])).isEqualTo(best);
    }
    assertThat(o.err()).contains("report: " + dir.resolve("bench").resolve("report.html"));
  }

  @Test
  void benchPholdRoundsOutOfRangeRunNothingAndWriteNothing(@TempDir Path dir) {
    for (String rounds : new String[] {"0", "101"}) {
      CliRun o = run("bench", "phold", "--entities", "100", "--rounds", rounds, "--out",
          dir.resolve("bench").toString());
      assertThat(o.code()).as(o.err()).isEqualTo(2);
      assertThat(o.err()).contains("--rounds " + rounds, "out of range", "1-100");
      assertThat(dir.resolve("bench")).doesNotExist();
    }
  }

  @Test
  void runOnAScenarioFilePrintsTheSummaryWithSeedAndDigest(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("small.conf");
    Files.writeString(file, "run { seed = 9, end-time = 5us, engine = sequential }\n"
        + "workload.type = phold\nphold { entities = 500, domains = 2 }\n");
    // the report goes to the test's folder, not to ./mcksim-report in the module's
    CliRun o = run("run", file.toString(), "--out", dir.resolve("report").toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("seed", "9", "event-log digest", "events per second");
    assertThat(dir.resolve("report").resolve("report.json")).exists();
  }

  @Test
  void aBadScenarioIsRejectedWithExitCode2AndEveryProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "run {\n  threads = -1\n  sed = 3\n}\n");
    CliRun o = run("config", file.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("bad.conf:2", "run.threads", "bad.conf:3", "run.sed",
        "did you mean 'run.seed'");
    assertThat(o.out()).isEmpty();
  }

  @Test
  void anUnknownEngineIsABadInput() {
    CliRun o = run("bench", "phold", "--engine", "quantum", "--entities", "10");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("run.engine", "quantum");
  }

  @Test
  void aPipedShellSessionBootsReadsKmsgShutsDownAndGivesEverythingBackToLinux(@TempDir Path dir)
      throws IOException {
    Path dumpFile = dir.resolve("mcdump_running");
    String session = String.join("\n",
        "ihkconfig 0 reserve cpu 4-7",
        "ihkconfig 0 reserve mem 2G@0",
        "ihkconfig 0 create",
        "ihkosctl 0 assign cpu 4-7",
        "ihkosctl 0 assign mem all",
        "ihkosctl 0 load mckernel.img",
        "ihkosctl 0 kargs \"hidos\"",
        "ihkosctl 0 boot",
        "ihkosctl 0 get status",
        "advance 100ms",
        "ihkosctl 0 get status",
        "ihkosctl 0 kmsg",
        "ihkosctl 0 dump -d 24 " + dumpFile,
        "ihkosctl 0 shutdown",
        "advance 10ms",
        "ihkosctl 0 get status",
        "ihkconfig 0 destroy 0",
        "ihkconfig 0 release cpu 4-7",
        "ihkconfig 0 release mem all",
        "ihkconfig 0 query cpu",
        "ihkconfig 0 query mem",
        "ihkconfig 0 get os_instances",
        "");
    CliRun o = runWithInput(session, "shell", "--out", dir.toString());
    assertThat(o.code()).as(o.out()).isZero();
    assertThat(o.out()).contains("$ ihkosctl 0 get status\nBOOTING\n", "$ ihkosctl 0 get status\nRUNNING\n",
        "IHK/McKernel started.", "CPU 3 (physical CPU 7) online", "McKernel booted.",
        "$ ihkosctl 0 get status\nINACTIVE\n");
    // nothing reserved, no instance left: every CPU and byte is back with Linux
    assertThat(o.out()).endsWith("$ ihkconfig 0 query cpu\n$ ihkconfig 0 query mem\n"
        + "$ ihkconfig 0 get os_instances\n");
    assertThat(o.out()).doesNotContain("error");
    io.mcksim.ihk.InstanceDump dump = io.mcksim.ihk.DumpFile.read(dumpFile);
    assertThat(dump.status()).isEqualTo("RUNNING");
    assertThat(dump.level()).isEqualTo(24);
    assertThat(dump.cpus()).containsExactly(4, 5, 6, 7);
    assertThat(dump.memory().get(0)).isEqualTo(2L << 30);
    assertThat(dump.kmsg()).last().asString().endsWith("McKernel booted.");
  }

  @Test
  void aFailingShellCommandPrintsItsErrorTheSessionGoesOnAndTheExitCodeSaysSo() {
    CliRun o = runWithInput("ihkconfig 0 reserve cpu 70\nihkconfig 0 reserve cpu 4\n"
        + "ihkconfig 0 query cpu\n", "shell");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.out()).contains("error: CPU 70 does not exist; the node has CPUs 0-67: Invalid argument"
        + " (EINVAL)", "$ ihkconfig 0 query cpu\n4\n");
  }

  @Test
  void mcrebootWithAnInjectedBootFailureUnwindsEveryStep() {
    CliRun o = runWithInput("inject boot-failure 0 1\nmcreboot.sh -c 4-7 -m 1G@0\n"
        + "ihkconfig 0 query cpu\nihkconfig 0 query mem\nmcreboot.sh -c 4-7 -m 1G@0\n"
        + "ihkosctl 0 get status\nmcstop+release.sh\nihkconfig 0 query cpu\n", "shell");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.out()).contains("did not boot: status INACTIVE", "undoing",
        "$ ihkconfig 0 query cpu\n$ ihkconfig 0 query mem\n$ mcreboot.sh",
        "$ ihkosctl 0 get status\nRUNNING\n");
    assertThat(o.out()).endsWith("$ mcstop+release.sh\n$ ihkconfig 0 query cpu\n");
  }

  @Test
  void aContradictoryMachineIsRejectedWithEveryProblemAndExitCode2(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("machine.conf");
    Files.writeString(file, String.join("\n",
        "machine {",
        "  cpus = 16",
        "  numa = [ { cpus = \"0-15\", memory = 8G, linux-used = 1G } ]",
        "}",
        "partition.instances = [",
        "  { cpus = \"0,8-20\", memory = \"9G@0,1G@2\", ikc-map = \"\" }",
        "]",
        "os.kargs = \"dump_level=24\"",
        ""));
    CliRun o = run("config", file.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("machine.conf:6: partition.instances[0].cpus: CPU 16-20 do not exist;"
        + " the node has CPUs 0-15",
        "CPU 0 cannot be reserved", "NUMA node 2 does not exist",
        "machine.conf:8: os.kargs: McKernel needs \"hidos\"");
  }

  @Test
  void programsOfTheScenarioRunUnderMcexecAndReportHowTheyEndedAndTheirCalls(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("report");
    CliRun o = run("run", "--out", out.toString(), "../examples/programs.conf");
    assertThat(o.code()).as(o.err()).isZero();
    // the inspector read McKernel's CPU list ("0-63\n": the instance's 64 CPUs, not the machine's)
    // its own status and the instance's memory, each over IKC; the solver's clock_gettime stayed on McKernel.
    // Its buffers' pages McKernel maps already come from McKernel's page table: 2 remote faults are left
    assertThat(o.out()).containsPattern("inspector +1000 +0 +0 +exit 0 .* 258 +109 +0 +2 +3 ")
        .containsPattern("solver +clock_gettime +local +1000 +60\\.0")
        .containsPattern("inspector +read +offloaded \\(hybrid\\) +3 ");
    String json = Files.readString(out.resolve("report.json"));
    assertThat(json).contains("\"name\": \"inspector\"", "\"view_reads\": 3", "\"exit_status\": 0");
    assertThat(Files.readString(out.resolve("program-syscalls.csv")))
        .startsWith("program,syscall,where,calls,").contains("solver,clock_gettime,local,1000,60,60,60");

    // the same programs natively on Linux, without noise: the solver's 64 MiB is faulted in page by
    // page (16,384 faults of 1 us) where McKernel premapped it; its calls go into Linux
    Path onLinux = dir.resolve("linux");
    CliRun lin = run("run", "--out", onLinux.toString(), "--set", "os.model=linux", "--set",
        "os.linux-noise=none", "../examples/programs.conf");
    assertThat(lin.code()).as(lin.err()).isZero();
    assertThat(lin.out()).contains("natively on Linux, noise none")
        .containsPattern("inspector +1000 +- +0 +exit 0 .* 256 +0 +0 +0 +3 ")
        .containsPattern("solver +1001 +- +1 +exit 0 +36\\.\\d+ ms +16384 +0 +0 +0 +0 +0")
        .containsPattern("solver +clock_gettime +native +1000 +150\\.0");
    assertThat(Files.readString(onLinux.resolve("report.json"))).contains("\"model\": \"linux\"");
    // a program with a thread cannot run there, and says so before anything runs
    CliRun threads = run("run", "--out", onLinux.toString(), "--set", "os.model=linux", "--set",
        "workload.type=programs", "--set",
        "workload.programs=[{name=t, ops=[{spawn-thread={ops=[{compute=1us}]}}]}]");
    assertThat(threads.code()).isEqualTo(2);
    assertThat(threads.err()).contains("workload.programs[0]: program 't' has a spawn-thread op, which "
        + "Linux CPUs do not model");

    // no programs: a clear problem, and the earlier report stays as it was
    CliRun bad = run("run", "--out", out.toString(), "--set", "workload.type=programs");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("workload.programs: the list is empty; list at least one program");
    assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(json);
  }

  @Test
  void programsOnTwoInstancesRunEachOnItsOwnInstanceWithOneDigestOnEveryEngine(@TempDir Path dir)
      throws IOException {
    CliRun o = run("run", "--out", dir.resolve("seq").toString(), "--json", "--set", "run.engine=sequential",
        "../examples/two-instances.conf");
    assertThat(o.code()).as(o.err()).isZero();
    String json = Files.readString(dir.resolve("seq").resolve("report.json"));
    // the programs of each instance take its McKernel CPUs in order; instance 1's pids follow instance
    // 0's slots (two programs and four spare)
    assertThat(json).contains("\"name\": \"writer\", \"pid\": 1000, \"instance\": 0, \"cpu\": 0",
        "\"name\": \"solver\", \"pid\": 1001, \"instance\": 0, \"cpu\": 1",
        "\"name\": \"writer-on-mcos1\", \"pid\": 1006, \"instance\": 1, \"cpu\": 0",
        "\"name\": \"inspector-on-mcos1\", \"pid\": 1007, \"instance\": 1, \"cpu\": 1");
    assertThat(json).doesNotContain("\"exit_status\": -1"); // every program ended
    String digest = o.out().replaceAll("(?s).*\"event_log_digest\": \"([0-9a-f]+)\".*", "$1");
    assertThat(digest).hasSize(64);
    for (String threads : new String[] {"1", "2", "4"}) {
      CliRun a = run("run", "--out", dir.resolve("actors" + threads).toString(), "--json", "--set",
          "run.engine=actors", "--threads", threads, "../examples/two-instances.conf");
      assertThat(a.code()).as(a.err()).isZero();
      assertThat(a.out()).as("actor engine, %s threads", threads).contains("\"event_log_digest\": \"" + digest
          + "\"");
    }
  }

  @Test
  void theSyscallMicrobenchmarkPrintsItsTableAndWritesJsonAndCsvWhole(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("report");
    CliRun o = run("run", "--out", out.toString(), "--set", "workload.type=syscalls",
        "--set", "workload.syscalls.calls=50", "--set", "workload.syscalls.names=[getpid,write]");
    assertThat(o.code()).as(o.err()).isZero();
    // getpid is local (40 ns); write is offloaded: the configured stages, 3450 ns, on a quiet node,
    // and its first call also faults its buffer page into the proxy (2500 ns more): mean 3500
    assertThat(o.out()).containsPattern("getpid +local +50 +40\\.0")
        .containsPattern("write +offloaded +50 +3500\\.0 +3450 +5950 +3450 +1100\\.0 +2400\\.0");
    assertThat(Files.readString(out.resolve("syscalls.csv")))
        .startsWith("syscall,on_mckernel,calls,").contains("write,offloaded,50,3500,3450,5950,3450,50,1100,");
    assertThat(Files.readString(out.resolve("report.json"))).contains("\"syscall\": \"write\"",
        "\"mckernel_mean_ns\": 3500");

    // a failing run (an unknown call) leaves the earlier report exactly as it was
    String before = Files.readString(out.resolve("report.json"));
    CliRun bad = run("run", "--out", out.toString(), "--set", "workload.type=syscalls",
        "--set", "workload.syscalls.names=[getpid,opne]");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown syscall 'opne'; did you mean open");
    assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(out); // no temporary folder left behind
    }
  }

  @Test
  void aNoiseProfileOfTheScenarioComposesSourcesOnCpuSets(@TempDir Path dir) throws IOException {
    Path trace = dir.resolve("noise.trace");
    Files.writeString(trace, "# start duration\n0 1000\n5000000 2000\n");
    Path conf = dir.resolve("noise.conf");
    Files.writeString(conf, String.join("\n",
        "workload { type = fwq, fwq { iterations = 1000, quantum = 10us, noise = mine } }",
        "machine { cpus = 4, numa = [ { cpus = \"0-3\", memory = 16G, linux-used = 1G } ] }",
        "partition.instances = [ { cpus = \"2-3\", memory = \"1G@0\", ikc-map = \"\" } ]",
        "noise.profiles.mine {",
        "  tick = [ { frequency = 1000, duration = 1us, cpus = \"0\" } ]",
        "  traces = [ { file = \"" + trace.toString().replace("\\", "/") + "\", cpus = \"1\" } ]",
        "}", ""));
    CliRun o = run("run", "--out", dir.resolve("report").toString(), conf.toString());
    assertThat(o.code()).as(o.err()).isZero();
    // CPU 0: 10 ms of work under a 1 kHz x 1 us tick loses 10 us, or 11 when the tick's random phase
    // puts an 11th into the added time; CPU 1: exactly the trace's 3 us; CPUs 2-3 are McKernel's
    assertThat(o.out()).containsPattern("linux +0 +1000 +1001[01]\\.0 ")
        .containsPattern("linux +1 +1000 +10003\\.0 ")
        .containsPattern("mckernel +2 +1000 +10000\\.0 ");

    // a built-in name, a missing trace and an unknown profile are all reported at once
    CliRun bad = run("run", "--out", dir.resolve("report").toString(), conf.toString(),
        "--set", "noise.profiles.none.tick=[]",
        "--set", "noise.profiles.x.traces=[{file=\"no-such.trace\", cpus=all}]",
        "--set", "workload.fwq.noise=mien");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("noise.profiles.none: 'none' is a built-in profile",
        "noise.profiles.x.traces[0].file: no readable file",
        "workload.fwq.noise: 'mien' is not one of [linux-default, linux-tuned, mckernel, mine, none, x]");
  }

  @Test
  void fwqComparesNoisyLinuxCoresWithNoiselessMcKernelCoresAndWritesSamplesAndSummaries(
      @TempDir Path dir) throws IOException {
    Path out = dir.resolve("fwq");
    CliRun o = run("run", "--out", out.toString(), "--raw-samples", "--set", "workload.type=fwq",
        "--set", "workload.fwq.iterations=500", "--set", "run.engine=sequential",
        "--set", "partition.instances=[{cpus=\"4-7\", memory=\"1G@0\", ikc-map=\"\"}]",
        "--set", "machine.cpus=8", "--set", "machine.numa=[{cpus=\"0-7\", memory=8G, linux-used=1G}]");
    assertThat(o.code()).as(o.err()).isZero();
    String summary = Files.readString(out.resolve("fwq-summary.csv"));
    assertThat(summary).startsWith("kernel,cpu,iterations,mean_ns,");
    // McKernel cores: every iteration is exactly the quantum
    for (int cpu = 4; cpu < 8; cpu++) {
      assertThat(summary).contains("mckernel," + cpu + ",500,100000,100000,100000,100000,100000,0\n");
    }
    assertThat(summary).containsPattern("linux,0,500,1\\d{5}(\\.\\d+)?,");
    assertThat(Files.readString(out.resolve("fwq-samples.csv")).lines()).hasSize(1 + 8 * 500);
    // --raw-samples: every sample, written as it came, every core's rows together in order of iteration
    List<String> rows = Files.readString(out.resolve("fwq-raw-samples.csv")).lines().toList();
    assertThat(rows).hasSize(1 + 8 * 500);
    assertThat(rows.get(1)).startsWith("linux,0,0,");
    assertThat(rows.get(500)).startsWith("linux,0,499,");
    assertThat(rows.get(1 + 4 * 500)).isEqualTo("mckernel,4,0,100000");
    assertThat(Files.readString(out.resolve("report.json"))).contains("\"kind\": \"fwq\"");
  }

  @Test
  void theNoiseHistogramCountsEverySampleNotOnlyTheKeptOnes(@TempDir Path dir) throws IOException {
    int iterations = FwqRun.KEPT_SAMPLES + 1_500;
    Path out = dir.resolve("fwq");
    CliRun o = run("run", "--out", out.toString(), "--set", "workload.type=fwq",
        "--set", "workload.fwq.iterations=" + iterations, "--set", "workload.fwq.quantum=10us",
        "--set", "run.engine=sequential",
        "--set", "partition.instances=[{cpus=\"2-3\", memory=\"1G@0\", ikc-map=\"\"}]",
        "--set", "machine.cpus=4", "--set", "machine.numa=[{cpus=\"0-3\", memory=8G, linux-used=1G}]");
    assertThat(o.code()).as(o.err()).isZero();
    long linux = 0;
    long mckernel = 0;
    List<String> rows = Files.readString(out.resolve("fwq-noise-histogram.csv")).lines().skip(1).toList();
    assertThat(rows).hasSize(FwqRun.NOISE_BINS);
    for (String row : rows) {
      String[] f = row.split(",", -1);
      linux += Long.parseLong(f[2]);
      mckernel += Long.parseLong(f[3]);
    }
    assertThat(linux).isEqualTo(2L * iterations);
    assertThat(mckernel).isEqualTo(2L * iterations);
    assertThat(Files.readString(out.resolve("fwq-samples.csv")).lines()).hasSize(1 + 4 * FwqRun.KEPT_SAMPLES);
  }

  @Test
  void aBspSweepComparesLinuxWithMcKernelAtEverySizeAndWritesItsTables(@TempDir Path dir)
      throws IOException {
    Path conf = dir.resolve("sweep.conf");
    Files.writeString(conf, "workload { type = bsp, bsp { iterations = 3, quantum = \"fixed(200us)\" } }\n"
        + "sweep { machine.nodes = [1, 4, 16], os.model = [linux, mckernel] }\n");
    Path out = dir.resolve("report");
    CliRun o = run("run", "--out", out.toString(), conf.toString(), "--set", "run.threads=2");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("sweep of 6 runs over machine.nodes, os.model",
        "run 1/6: machine.nodes=1 os.model=linux", "McKernel speedup");
    List<String> speedup = Files.readString(out.resolve("sweep-speedup.csv")).lines().toList();
    assertThat(speedup).hasSize(4);
    assertThat(speedup.get(0)).isEqualTo("point,linux_ns,mckernel_ns,linux_slowdown,mckernel_slowdown,speedup");
    for (String row : speedup.subList(1, 4)) {
      String[] c = row.split(",");
      assertThat(Double.parseDouble(c[4])).as(row).isEqualTo(1.0); // McKernel: no noise, the ideal
      assertThat(Double.parseDouble(c[3])).as(row).isGreaterThan(1.0); // Linux: noise
      assertThat(Double.parseDouble(c[5])).as(row).isEqualTo(Double.parseDouble(c[1]) / Double.parseDouble(c[2]),
          org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(Files.readString(out.resolve("sweep-runs.csv")).lines()).hasSize(7);
    assertThat(Files.readString(out.resolve("sweep-values.csv")).lines()).hasSize(1 + 6 * 2)
        .contains("6,machine.nodes,16", "6,os.model,mckernel");
    String html = Files.readString(out.resolve("report.html"));
    for (String chart : List.of("chart-sweep-runtime", "chart-sweep-slowdown")) {
      assertThat(html).as(chart).contains("id=\"" + chart + "\"");
    }
    assertThat(html).doesNotContainPattern("<script[^>]+src=");
    assertThat(Files.readString(out.resolve("report.json"))).contains("\"point\": \"machine.nodes=16, "
        + "os.model=mckernel\"", "\"os\": \"mckernel\"", "\"digest\": ");
  }

  /**
   * Noise injection as one command: (frequency, duration) pairs of equal net noise zipped, each pair a
   * run, the same net 1% stealing more from a BSP the rarer and longer its interruptions.
   */
  @Test
  void aZippedSweepRunsNoiseInjectionPairsOfEqualNetNoise(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("inject.conf");
    Files.writeString(conf, "workload { type = bsp, bsp { iterations = 5, quantum = \"fixed(1ms)\","
        + " threads-per-rank = 4 } }\n"
        + "os { model = linux, linux-noise = inj }\n"
        + "noise.profiles.inj.injection { frequency = 1000, duration = 10us }\n"
        + "sweep {\n  machine.nodes = [8]\n  noise.profiles.inj.injection.frequency = [10000, 10]\n"
        + "  noise.profiles.inj.injection.duration = [1us, 1ms]\n"
        + "  zip = [[noise.profiles.inj.injection.frequency, noise.profiles.inj.injection.duration]]\n}\n");
    Path out = dir.resolve("report");
    CliRun o = run("run", "--out", out.toString(), conf.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("sweep of 2 runs", "injection.frequency", "injection.duration",
        "run 2/2: machine.nodes=8 noise.profiles.inj.injection.frequency=10 noise.profiles.inj.injection.duration=1ms");
    List<String> rows = Files.readString(out.resolve("sweep-runs.csv")).lines().toList();
    assertThat(rows.get(0)).startsWith("run,point,os,nodes,runtime_ns,ideal_ns,slowdown,");
    assertThat(rows.get(2)).contains("\"machine.nodes=8, noise.profiles.inj.injection.frequency=10, "
        + "noise.profiles.inj.injection.duration=1ms\"");
    double frequent = Double.parseDouble(Csv.FORMAT.parse(new java.io.StringReader(rows.get(1))).getRecords().get(0)
        .get(6));
    double rare = Double.parseDouble(Csv.FORMAT.parse(new java.io.StringReader(rows.get(2))).getRecords().get(0)
        .get(6));
    assertThat(frequent).as("10 kHz x 1 us: about the net 1%").isBetween(1.005, 1.03);
    assertThat(rare).as("10 Hz x 1 ms: the slowest of 32 CPUs").isGreaterThan(frequent + 0.05);
  }

  @Test
  void aBspThatDoesNotFitItsCpusOrASweepOfAnotherWorkloadIsRefusedWithTheFix(@TempDir Path dir) {
    CliRun big = run("run", "--out", dir.resolve("r").toString(), "--set", "workload.type=bsp",
        "--set", "workload.bsp.ranks-per-node=4", "--set", "workload.bsp.threads-per-rank=17");
    assertThat(big.code()).isEqualTo(2);
    assertThat(big.err()).contains("workload.bsp: 4 ranks per node x 17 threads need more than the 64 CPUs",
        "lower workload.bsp.ranks-per-node");
    CliRun sweep = run("run", "--out", dir.resolve("r").toString(), "--set", "workload.type=fwq",
        "--set", "sweep.machine.nodes=[1, 2]");
    assertThat(sweep.code()).isEqualTo(2);
    assertThat(sweep.err()).contains("a sweep runs workload.type = bsp");
    assertThat(dir.resolve("r")).doesNotExist();
  }

  @Test
  void compareOsRunsEveryDesignAndSaysWhichCellsAreMeasuredAndWhichDeclared(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("cmp");
    CliRun o = run("compare-os", "--nodes", "1,4", "--out", out.toString(), "--json",
        "--set", "workload.bsp.iterations=2", "--set", "workload.bsp.quantum=\"fixed(100us)\"",
        "--set", "workload.bsp.threads-per-rank=4");
    assertThat(o.code()).as(o.err()).isZero();
    com.typesafe.config.Config json = com.typesafe.config.ConfigFactory.parseString(o.out(),
        com.typesafe.config.ConfigParseOptions.defaults().setSyntax(com.typesafe.config.ConfigSyntax.JSON));
    var models = json.getConfigList("tables.compare_os_models.rows");
    assertThat(models).extracting(m -> m.getString("model"))
        .containsExactly("linux", "argo", "l4linux", "mos", "hobbes", "mckernel");
    assertThat(json.getConfigList("tables.compare_os_runs.rows")).hasSize(6 * 2);
    for (var m : models) {
      boolean hobbes = m.getString("model").equals("hobbes");
      // Kitten lacks uname and ioctl of the default mix, and has no Linux drivers to map a device with
      assertThat(m.getDouble("api_coverage_measured")).as(m.getString("model")).isEqualTo(hobbes ? 7 / 9.0 : 1.0,
          org.assertj.core.data.Offset.offset(1e-9));
      assertThat(m.getString("device_mapping_measured")).isEqualTo(hobbes ? "refused (ENOSYS)" : "usable");
      String model = m.getString("model");
      assertThat(m.getString("lwk_crash_measured")).as(model).isEqualTo(switch (model) {
        case "linux", "argo" -> "no LWK";
        case "mckernel", "hobbes" -> "application killed, Linux runs on";
        default -> "application killed, Linux down";
      });
      assertThat(m.getString("linux_crash_measured")).as(model).isEqualTo(switch (model) {
        case "mckernel" -> "application stalls, Linux down";
        case "hobbes" -> "application runs on, Linux down";
        default -> "application killed, Linux down";
      });
      assertThat(m.getString("isolation_design_declared")).isNotEmpty();
    }
    assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"chart-compare-runtime\"");
    assertThat(Files.readString(out.resolve("compare-os-models.csv")).lines()).hasSize(7);
  }
}
