package io.mcksim.workloads.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.mcksim.workloads.strace.StraceParser;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Service times from strace -T durations. */
class ServiceTimesTest {

  private static StraceParser.Source trace(String... lines) {
    return StraceParser.Source.of("t.txt", List.of(lines));
  }

  @Test
  void eachNamesServiceIsItsMeanDurationLessTheEntry() throws IOException {
    ServiceTimes.Result r = ServiceTimes.read(List.of(trace(
        "100 1700000000.000001 read(3, \"\", 10) = 0 <0.000002>",
        "100 1700000000.000010 read(3, \"\", 10) = 0 <0.000004>",
        "100 1700000000.000020 close(3) = 0 <0.000000>",
        "100 1700000000.000030 exit_group(0) = ?")));

    assertThat(r.calls()).containsOnlyKeys("read", "close");
    assertThat(ServiceTimes.serviceNs(r.calls().get("read"), 100)).isEqualTo(2_900);
    assertThat(ServiceTimes.serviceNs(r.calls().get("close"), 100)).isZero();
    assertThat(r.untimed()).isEqualTo(1);
    Fragment f = ServiceTimes.fragment(r, 100, "t.txt");
    assertThat(f.values()).containsEntry("costs.syscall.linux.read", "2900ns")
        .containsEntry("costs.syscall.linux.close", "0ns");
    assertThat(f.text()).contains("read: 2 calls, mean 3,000 ns", "close: 1 call,", "shorter than the entry",
        "1 call without a duration left out");
  }

  @Test
  void aTraceWithoutDurationsSaysToRecordWithT() {
    assertThatIllegalArgumentException().isThrownBy(() -> ServiceTimes.read(List.of(trace(
        "100 1700000000.000001 getpid() = 100"))))
        .withMessageContaining("no call carries its duration").withMessageContaining("strace -T");
  }
}
