package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A process's descriptor table: the lowest free descriptor, in time logarithmic in the table. */
class FileDescriptorsTest {

  @Test
  void anOpenGetsTheLowestFreeDescriptorAndACloseFreesIt() {
    FileDescriptors fds = new FileDescriptors();
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(3);
    assertThat(fds.open(ProcView.File.MEMINFO)).isEqualTo(4);
    assertThat(fds.openDevice()).isEqualTo(5);
    fds.close(4);
    fds.close(4);   // not open: nothing
    fds.close(1);   // a standard stream this table does not hold: nothing
    assertThat(fds.fds()).containsExactly(3, 5);
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(4);
    fds.close(5);
    fds.close(4);
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(4);
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(5);
    assertThat(fds.get(5).device()).isFalse();
    fds.clear();
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(3);
  }

  @Test
  void aHundredThousandOpensAndClosesInAnyOrderKeepTheLowestFree() {
    FileDescriptors fds = new FileDescriptors();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      assertThat(fds.open(ProcView.File.NONE)).isEqualTo(FileDescriptors.FIRST + i);
    }
    // close the odd ones from the top, then the lowest free is the lowest odd one
    for (int fd = FileDescriptors.FIRST + n - 1; fd >= FileDescriptors.FIRST; fd--) {
      if (fd % 2 == 1) {
        fds.close(fd);
      }
    }
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(3);
    assertThat(fds.open(ProcView.File.NONE)).isEqualTo(5);
    assertThat(fds.fds()).hasSize(n / 2 + 2);
  }
}
