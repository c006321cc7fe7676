package io.mcksim.ihk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcksim.config.CpuList;
import io.mcksim.config.MachineSettings;
import io.mcksim.config.MemorySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IHK driver's state and verbs: every verb's success path and error paths; after every call the
 * accounting invariant holds, and a refused call leaves the node exactly as it was.
 */
class IhkNodeTest {

  static final long M = 1L << 20;
  static final long G = 1L << 30;
  /** NUMA 0: 8 GiB, Linux uses 1 GiB, so 7 GiB free. */
  static final long FREE0 = 7 * G;
  /** NUMA 1: 2 GiB, all free. */
  static final long FREE1 = 2 * G;
  /** 95% of NUMA 0's free memory, rounded down to 4 MiB: 7 GiB / 100 * 95 = 7140383065 -> 6808 MiB. */
  static final long RESERVABLE0 = 6808 * M;

  static MachineSettings machine() {
    return new MachineSettings(1, 8, List.of(
        new MachineSettings.Numa(0, CpuList.parse("0-7"), 8L << 30, 1L << 30),
        new MachineSettings.Numa(1, CpuList.EMPTY, 2L << 30, 0)));
  }

  IhkNode node;

  @BeforeEach
  void setUp() {
    node = new IhkNode(machine(), 2);
    node.check();
  }

  // ------------------------------------------------------------------ helpers

  /** Everything observable about the node, to compare before and after a refused verb. */
  record Snapshot(String queryCpu, String queryMem, CpuList linuxCpus, CpuList pooledCpus,
      List<Long> linuxFree, List<Long> pool, List<Integer> osInstances, List<String> instances) {}

  static Snapshot snapshot(IhkNode n) {
    List<Long> free = new ArrayList<>();
    List<Long> pool = new ArrayList<>();
    for (int i = 0; i < n.machine().numa().size(); i++) {
      free.add(n.linuxFree(i));
      pool.add(n.pool(i));
    }
    List<String> inst = new ArrayList<>();
    for (int os : n.osInstances()) {
      IhkNode.Instance i = n.instance(os);
      inst.add(os + " status=" + n.status(os) + " shown=" + n.status(os).shown()
          + " cpu=" + n.queryOsCpu(os) + " cpus=" + i.cpus() + " mem=" + n.queryOsMem(os)
          + " ikc=" + n.getIkcMap(os) + " image=" + i.image() + " kargs=" + i.kargs()
          + " holders=" + i.holders + " kmsg=" + i.kmsg());
    }
    return new Snapshot(n.queryCpu(), n.queryMem(), n.linuxCpus(), n.pooledCpus(), free, pool,
        n.osInstances(), inst);
  }

  /** Runs a verb that must succeed, then checks the invariant. */
  void ok(Runnable verb) {
    assertThatCode(verb::run).doesNotThrowAnyException();
    node.check();
  }

  /** Runs a verb that must be refused with {@code errno}, and checks that nothing changed. */
  IhkException refused(Errno errno, Runnable verb) {
    Snapshot before = snapshot(node);
    IhkException e = catchThrowableOfType(IhkException.class, verb::run);
    assertThat(e).as("expected IhkException %s", errno).isNotNull();
    assertThat(e.errno()).as("errno of: %s", e.getMessage()).isEqualTo(errno);
    assertThat(e.getMessage()).isNotBlank();
    node.check();
    assertThat(snapshot(node)).as("state after refused verb (%s)", e.getMessage()).isEqualTo(before);
    return e;
  }

  static CpuList cpus(String s) {
    return CpuList.parse(s);
  }

  static MemorySpec mem(String s) {
    return MemorySpec.parse(s);
  }

  /** {@code ihkconfig 0 create}, which must succeed; checks the invariant. */
  int create() {
    int os = node.create();
    node.check();
    return os;
  }

  /** Assigns CPUs in the order written (as {@code ihkosctl OS assign cpu} does). */
  void assign(int os, String list) {
    ok(() -> node.assignCpu(os, cpus(list), IhkCommand.parse("ihkosctl " + os + " assign cpu " + list)
        .cpuOrder()));
  }

  /** Reserves 4-7 and 2G@0,1G@1, creates an OS and gives it everything it needs to boot. */
  int prepared() {
    ok(() -> node.reserveCpu(cpus("4-7")));
    ok(() -> node.reserveMem(mem("2G@0,1G@1")));
    int os = create();
    assign(os, "4-5");
    ok(() -> node.assignMem(os, mem("1G@0,512M@1")));
    ok(() -> node.load(os, "mckernel.img"));
    ok(() -> node.kargs(os, "hidos dump_level=24"));
    return os;
  }

  int running() {
    int os = prepared();
    ok(() -> node.boot(os));
    ok(() -> node.booted(os));
    assertThat(node.status(os)).isEqualTo(OsStatus.RUNNING);
    return os;
  }

  /** Brings an OS into {@code status} (one the driver reaches by itself). */
  int inStatus(OsStatus status) {
    int os = prepared();
    switch (status) {
      case NOT_BOOTED -> { }
      case BOOTING -> ok(() -> node.boot(os));
      case RUNNING -> {
        ok(() -> node.boot(os));
        ok(() -> node.booted(os));
      }
      case FREEZING -> {
        ok(() -> node.boot(os));
        ok(() -> node.booted(os));
        ok(() -> node.freeze(os));
      }
      case FROZEN -> {
        ok(() -> node.boot(os));
        ok(() -> node.booted(os));
        ok(() -> node.freeze(os));
        ok(() -> node.frozen(os));
      }
      case SHUTDOWN -> {
        ok(() -> node.boot(os));
        ok(() -> node.booted(os));
        ok(() -> node.shutdown(os));
      }
      default -> throw new IllegalArgumentException(status + " is not reached by IhkNode");
    }
    assertThat(node.status(os)).isEqualTo(status);
    return os;
  }

  // ------------------------------------------------------------------ initial state

  @Test
  void harnessNoticesAChangeBehindARefusal() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> refused(Errno.EINVAL, () -> {
      node.reserveCpu(cpus("4"));
      throw new IhkException(Errno.EINVAL, "pretend");
    })).isInstanceOf(AssertionError.class).hasMessageContaining("state after refused verb");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> refused(Errno.EBUSY,
        () -> node.reserveCpu(cpus("0")))).isInstanceOf(AssertionError.class);
  }


  @Test
  void initialStateOwnsNothing() {
    assertThat(node.queryCpu()).isEmpty();
    assertThat(node.queryMem()).isEmpty();
    assertThat(node.linuxCpus()).isEqualTo(cpus("0-7"));
    assertThat(node.pooledCpus()).isEqualTo(CpuList.EMPTY);
    assertThat(node.linuxFree(0)).isEqualTo(FREE0);
    assertThat(node.linuxFree(1)).isEqualTo(FREE1);
    assertThat(node.pool(0)).isZero();
    assertThat(node.pool(1)).isZero();
    assertThat(node.osInstances()).isEmpty();
    assertThat(node.maxInstances()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ ihkconfig reserve/release cpu

  @Nested
  class ReserveCpu {
    @Test
    void reservesAndQueries() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      assertThat(node.queryCpu()).isEqualTo("4-7");
      assertThat(node.linuxCpus()).isEqualTo(cpus("0-3"));
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-7"));
      ok(() -> node.reserveCpu(cpus("1,3")));
      assertThat(node.queryCpu()).isEqualTo("1,3-7");
      assertThat(node.linuxCpus()).isEqualTo(cpus("0,2"));
    }

    @Test
    void cpuThatDoesNotExistIsEinvalAndNamesTheNodesCpus() {
      IhkException e = refused(Errno.EINVAL, () -> node.reserveCpu(cpus("6-9")));
      assertThat(e.getMessage()).contains("8-9").contains("not exist").contains("0-7");
      assertThat(node.linuxCpus()).isEqualTo(cpus("0-7"));
      e = refused(Errno.EINVAL, () -> node.reserveCpu(cpus("8")));
      assertThat(e.getMessage()).contains("CPU 8 does not exist").contains("0-7");
    }

    @Test
    void cpuZeroIsEinval() {
      IhkException e = refused(Errno.EINVAL, () -> node.reserveCpu(cpus("0")));
      assertThat(e.getMessage()).contains("CPU 0").contains("1-7");
      refused(Errno.EINVAL, () -> node.reserveCpu(cpus("0-3")));
    }

    @Test
    void alreadyReservedIsEbusy() {
      ok(() -> node.reserveCpu(cpus("4-5")));
      IhkException e = refused(Errno.EBUSY, () -> node.reserveCpu(cpus("5-6")));
      assertThat(e.getMessage()).contains("CPU 5").contains("reserved");
      assertThat(node.queryCpu()).isEqualTo("4-5");
    }

    @Test
    void assignedCpuIsEbusy() {
      ok(() -> node.reserveCpu(cpus("4-5")));
      int os = create();
      assign(os, "5");
      IhkException e = refused(Errno.EBUSY, () -> node.reserveCpu(cpus("5")));
      assertThat(e.getMessage()).contains("assigned to OS " + os);
    }

    @Test
    void emptyListIsEinval() {
      refused(Errno.EINVAL, () -> node.reserveCpu(CpuList.EMPTY));
    }
  }

  @Nested
  class ReleaseCpu {
    @Test
    void releasesBackToLinux() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      ok(() -> node.releaseCpu(cpus("6-7")));
      assertThat(node.queryCpu()).isEqualTo("4-5");
      assertThat(node.linuxCpus()).isEqualTo(cpus("0-3,6-7"));
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-5"));
      ok(() -> node.releaseCpu(cpus("4-5")));
      assertThat(node.queryCpu()).isEmpty();
      assertThat(node.linuxCpus()).isEqualTo(cpus("0-7"));
    }

    @Test
    void notReservedIsEinval() {
      ok(() -> node.reserveCpu(cpus("4-5")));
      IhkException e = refused(Errno.EINVAL, () -> node.releaseCpu(cpus("4-6")));
      assertThat(e.getMessage()).contains("CPU 6").contains("not reserved");
      refused(Errno.EINVAL, () -> node.releaseCpu(cpus("0")));
    }

    @Test
    void assignedToAnOsIsEbusy() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      int os = create();
      assign(os, "5");
      IhkException e = refused(Errno.EBUSY, () -> node.releaseCpu(cpus("4-7")));
      assertThat(e.getMessage()).contains("assigned to OS " + os).contains("release cpu 5");
    }

    @Test
    void nonexistentOrEmptyIsEinval() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      refused(Errno.EINVAL, () -> node.releaseCpu(cpus("7-8")));
      refused(Errno.EINVAL, () -> node.releaseCpu(CpuList.EMPTY));
    }
  }

  // ------------------------------------------------------------------ ihkconfig reserve/release mem

  @Nested
  class ReserveMem {
    @Test
    void reservesIn4MibUnits() {
      ok(() -> node.reserveMem(mem("1M@0")));
      assertThat(node.reserved(0)).isEqualTo(4 * M).isEqualTo(MemorySpec.roundUp(M));
      assertThat(node.queryMem()).isEqualTo("4M@0");
      assertThat(node.pool(0)).isEqualTo(4 * M);
      assertThat(node.linuxFree(0)).isEqualTo(FREE0 - 4 * M);

      ok(() -> node.reserveMem(mem("5M@0,4097K@1")));
      assertThat(node.reserved(0)).isEqualTo(12 * M);
      assertThat(node.reserved(1)).isEqualTo(8 * M);
      assertThat(node.queryMem()).isEqualTo("12M@0,8M@1");
      assertThat(node.linuxFree(1)).isEqualTo(FREE1 - 8 * M);

      ok(() -> node.reserveMem(mem("1G@1")));
      assertThat(node.queryMem()).isEqualTo("12M@0,1032M@1");
    }

    @Test
    void numaZeroAbove95PercentOfFreeIsEnomem() {
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("7G@0")));
      IhkException e = refused(Errno.ENOMEM, () -> node.reserveMem(mem((RESERVABLE0 / M + 4) + "M@0")));
      assertThat(e.getMessage()).contains("NUMA node 0").contains("95%");
      // exactly the limit is fine, and then nothing more fits
      ok(() -> node.reserveMem(mem((RESERVABLE0 / M) + "M@0")));
      assertThat(node.reserved(0)).isEqualTo(RESERVABLE0);
      assertThat(node.reserved(0)).isLessThanOrEqualTo(FREE0 / 100 * 95);
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("1@0")));
    }

    @Test
    void beyondNumaOneCapacityIsEnomem() {
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("3G@1")));
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("2049M@1")));
      // a request that fits on 0 but not on 1 is refused whole
      IhkException e = refused(Errno.ENOMEM, () -> node.reserveMem(mem("1G@0,3G@1")));
      assertThat(e.getMessage()).contains("NUMA node 1");
      assertThat(node.reserved(0)).isZero();
      // two chunks on one node add up
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("1G@1,1G@1,4M@1")));
      ok(() -> node.reserveMem(mem("2G@1")));
      assertThat(node.linuxFree(1)).isZero();
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("4M@1")));
    }

    @Test
    void nonexistentNumaIsEinval() {
      IhkException e = refused(Errno.EINVAL, () -> node.reserveMem(mem("1G@2")));
      assertThat(e.getMessage()).contains("NUMA node 2").contains("0-1");
      refused(Errno.EINVAL, () -> node.reserveMem(mem("1G@0,1G@2")));
      refused(Errno.EINVAL, () -> node.reserveMem(mem("all@2")));
    }

    @Test
    void allTakesEverythingReservable() {
      ok(() -> node.reserveMem(mem("1G@0")));
      ok(() -> node.reserveMem(mem("all")));
      assertThat(node.reserved(0)).isEqualTo(RESERVABLE0);
      assertThat(node.reserved(1)).isEqualTo(FREE1);
      assertThat(node.linuxFree(0)).isEqualTo(FREE0 - RESERVABLE0);
      assertThat(node.linuxFree(1)).isZero();
      assertThat(node.queryMem()).isEqualTo("6808M@0,2G@1");
      // again: nothing left, nothing changes, no error
      Snapshot before = snapshot(node);
      ok(() -> node.reserveMem(mem("all")));
      assertThat(snapshot(node)).isEqualTo(before);
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("4M@0")));
      refused(Errno.ENOMEM, () -> node.reserveMem(mem("4M@1")));
    }

    @Test
    void allAtOneTakesOnlyNumaOne() {
      ok(() -> node.reserveMem(mem("all@1")));
      assertThat(node.reserved(1)).isEqualTo(FREE1);
      assertThat(node.reserved(0)).isZero();
      assertThat(node.queryMem()).isEqualTo("2G@1");
      ok(() -> node.reserveMem(mem("all@0")));
      assertThat(node.reserved(0)).isEqualTo(RESERVABLE0);
    }
  }

  @Nested
  class ReleaseMem {
    @BeforeEach
    void reserve() {
      ok(() -> node.reserveMem(mem("1G@0,1G@1")));
    }

    @Test
    void releasesBackToLinux() {
      ok(() -> node.releaseMem(mem("512M@0")));
      assertThat(node.pool(0)).isEqualTo(512 * M);
      assertThat(node.linuxFree(0)).isEqualTo(FREE0 - 512 * M);
      assertThat(node.queryMem()).isEqualTo("512M@0,1G@1");
      ok(() -> node.releaseMem(mem("1G@1")));
      assertThat(node.queryMem()).isEqualTo("512M@0");
      assertThat(node.linuxFree(1)).isEqualTo(FREE1);
    }

    @Test
    void allReleasesTheUnassignedPoolOnly() {
      int os = create();
      ok(() -> node.assignMem(os, mem("256M@0")));
      ok(() -> node.releaseMem(mem("all")));
      assertThat(node.pool(0)).isZero();
      assertThat(node.pool(1)).isZero();
      assertThat(node.reserved(0)).isEqualTo(256 * M);
      assertThat(node.queryMem()).isEqualTo("256M@0");
      assertThat(node.linuxFree(0)).isEqualTo(FREE0 - 256 * M);
      assertThat(node.linuxFree(1)).isEqualTo(FREE1);
      assertThat(node.queryOsMem(os)).isEqualTo("256M@0");
    }

    @Test
    void allAtOne() {
      ok(() -> node.releaseMem(mem("all@1")));
      assertThat(node.queryMem()).isEqualTo("1G@0");
      refused(Errno.EINVAL, () -> node.releaseMem(mem("all@2")));
    }

    @Test
    void moreThanTheUnassignedPoolIsRefused() {
      int os = create();
      ok(() -> node.assignMem(os, mem("768M@0")));
      // reserved (1G) covers it but 768M of it is assigned: busy
      IhkException e = refused(Errno.EBUSY, () -> node.releaseMem(mem("512M@0")));
      assertThat(e.getMessage()).contains("NUMA node 0").contains("256M");
      // more than was ever reserved: invalid
      refused(Errno.EINVAL, () -> node.releaseMem(mem("2G@0")));
      refused(Errno.EINVAL, () -> node.releaseMem(mem("1G@1,4M@1")));
      // one bad node refuses the whole request
      refused(Errno.EINVAL, () -> node.releaseMem(mem("4M@1,2G@0")));
      ok(() -> node.releaseMem(mem("256M@0")));
      assertThat(node.pool(0)).isZero();
    }

    @Test
    void nonexistentNumaIsEinval() {
      refused(Errno.EINVAL, () -> node.releaseMem(mem("4M@2")));
      refused(Errno.EINVAL, () -> node.releaseMem(mem("4M@0,4M@7")));
    }
  }

  // ------------------------------------------------------------------ create / destroy

  @Nested
  class CreateDestroy {
    @Test
    void createUpToMaxThenEnospc() {
      assertThat(create()).isEqualTo(0);
      node.check();
      assertThat(create()).isEqualTo(1);
      node.check();
      assertThat(node.osInstances()).containsExactly(0, 1);
      assertThat(node.status(0)).isEqualTo(OsStatus.NOT_BOOTED);
      IhkException e = refused(Errno.ENOSPC, () -> node.create());
      assertThat(e.getMessage()).contains("2");
      ok(() -> node.destroy(0));
      assertThat(node.osInstances()).containsExactly(1);
      assertThat(create()).as("lowest free slot").isEqualTo(0);
      node.check();
      assertThat(node.osInstances()).containsExactly(0, 1);
    }

    @Test
    void destroyNonexistentIsEnoent() {
      refused(Errno.ENOENT, () -> node.destroy(0));
      create();
      refused(Errno.ENOENT, () -> node.destroy(1));
      refused(Errno.ENOENT, () -> node.destroy(2));
      refused(Errno.ENOENT, () -> node.destroy(-1));
      IhkException e = refused(Errno.ENOENT, () -> node.destroy(1));
      assertThat(e.getMessage()).contains("OS 1").contains("[0]");
    }

    @Test
    void destroyWhileHeldIsEbusy() {
      int os = create();
      ok(() -> node.hold(os));
      IhkException e = refused(Errno.EBUSY, () -> node.destroy(os));
      assertThat(e.getMessage()).contains("1 process ").contains("/dev/mcos" + os);
      ok(() -> node.hold(os));
      e = refused(Errno.EBUSY, () -> node.destroy(os));
      assertThat(e.getMessage()).contains("2 processes");
      ok(() -> node.unhold(os));
      refused(Errno.EBUSY, () -> node.destroy(os));
      ok(() -> node.unhold(os));
      ok(() -> node.unhold(os)); // never below zero
      ok(() -> node.destroy(os));
      assertThat(node.osInstances()).isEmpty();
      refused(Errno.ENOENT, () -> node.hold(os));
      refused(Errno.ENOENT, () -> node.unhold(os));
    }

    @Test
    void destroyOfABootedInstanceReturnsItsResourcesToTheReservedPool() {
      int os = running();
      String reservedCpus = node.queryCpu();
      String reservedMem = node.queryMem();
      CpuList linux = node.linuxCpus();
      long free0 = node.linuxFree(0);
      ok(() -> node.destroy(os));
      assertThat(node.osInstances()).isEmpty();
      assertThat(node.queryCpu()).isEqualTo(reservedCpus).isEqualTo("4-7");
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-7"));
      assertThat(node.linuxCpus()).isEqualTo(linux);
      assertThat(node.queryMem()).isEqualTo(reservedMem);
      assertThat(node.pool(0)).isEqualTo(2 * G);
      assertThat(node.pool(1)).isEqualTo(G);
      assertThat(node.linuxFree(0)).isEqualTo(free0);
      // the slot is reusable and the new instance starts empty and INACTIVE
      int again = create();
      node.check();
      assertThat(again).isEqualTo(os);
      assertThat(node.status(again)).isEqualTo(OsStatus.NOT_BOOTED);
      assertThat(node.queryOsCpu(again)).isEmpty();
      assertThat(node.queryOsMem(again)).isEmpty();
      assertThat(node.instance(again).image()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = OsStatus.class, names = {"NOT_BOOTED", "BOOTING", "FREEZING", "FROZEN",
        "SHUTDOWN"})
    void destroyInAnyStateReturnsResources(OsStatus status) {
      int os = inStatus(status);
      ok(() -> node.destroy(os));
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-7"));
      assertThat(node.pool(0)).isEqualTo(2 * G);
      assertThat(node.pool(1)).isEqualTo(G);
    }
  }

  // ------------------------------------------------------------------ ihkosctl assign/release cpu

  @Nested
  class AssignCpu {
    int os;

    @BeforeEach
    void reserve() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      os = create();
    }

    @Test
    void keepsTheOrderGiven() {
      ok(() -> node.assignCpu(os, cpus("5,6"), List.of(6, 5)));
      assertThat(node.queryOsCpu(os)).isEqualTo("6,5");
      assertThat(node.instance(os).cpus()).containsExactly(6, 5);
      assertThat(node.pooledCpus()).isEqualTo(cpus("4,7"));
      assertThat(node.queryCpu()).as("assigned CPUs stay reserved").isEqualTo("4-7");
      assertThat(node.getIkcMap(os)).isEqualTo("6,5:0");
      assign(os, "7,4");
      assertThat(node.queryOsCpu(os)).isEqualTo("6,5,7,4");
      assertThat(node.pooledCpus()).isEqualTo(CpuList.EMPTY);
    }

    @Test
    void ascendingRunsAreCompressed() {
      assign(os, "4-7");
      assertThat(node.queryOsCpu(os)).isEqualTo("4-7");
      assertThat(node.instance(os).cpus()).containsExactly(4, 5, 6, 7);
    }

    @Test
    void notReservedIsEinval() {
      IhkException e = refused(Errno.EINVAL, () -> node.assignCpu(os, cpus("3-4"), List.of(4, 3)));
      assertThat(e.getMessage()).contains("CPU 3").contains("not reserved");
      refused(Errno.EINVAL, () -> node.assignCpu(os, cpus("1"), List.of(1)));
    }

    @Test
    void assignedElsewhereIsEbusy() {
      assign(os, "5");
      int other = create();
      IhkException e = refused(Errno.EBUSY, () -> node.assignCpu(other, cpus("4-5"), List.of(4, 5)));
      assertThat(e.getMessage()).contains("CPU 5").contains("OS " + os);
      // to the same OS again is just as busy
      refused(Errno.EBUSY, () -> node.assignCpu(os, cpus("5"), List.of(5)));
    }

    @Test
    void nonexistentEmptyOrNoOs() {
      refused(Errno.EINVAL, () -> node.assignCpu(os, cpus("7-8"), List.of(7, 8)));
      refused(Errno.EINVAL, () -> node.assignCpu(os, CpuList.EMPTY, List.of()));
      refused(Errno.ENOENT, () -> node.assignCpu(1, cpus("4"), List.of(4)));
      refused(Errno.ENOENT, () -> node.assignCpu(5, cpus("4"), List.of(4)));
    }

    @ParameterizedTest
    @EnumSource(value = OsStatus.class, names = {"BOOTING", "RUNNING", "FREEZING", "FROZEN",
        "SHUTDOWN"})
    void whileNotInactiveIsEbusy(OsStatus status) {
      ok(() -> node.destroy(os));
      ok(() -> node.releaseCpu(cpus("4-7")));
      int booted = inStatus(status);
      IhkException e = refused(Errno.EBUSY, () -> node.assignCpu(booted, cpus("6"), List.of(6)));
      assertThat(e.getMessage()).contains(status.shown()).contains("INACTIVE");
    }
  }

  @Nested
  class ReleaseOsCpu {
    int os;

    @BeforeEach
    void assignSome() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      os = create();
      assign(os, "7,5,6");
    }

    @Test
    void backToTheReservedPoolKeepingTheRestInOrder() {
      ok(() -> node.releaseOsCpu(os, cpus("5")));
      assertThat(node.queryOsCpu(os)).isEqualTo("7,6");
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-5"));
      assertThat(node.queryCpu()).isEqualTo("4-7");
      assertThat(node.linuxCpus()).isEqualTo(cpus("0-3"));
      ok(() -> node.releaseOsCpu(os, cpus("6-7")));
      assertThat(node.queryOsCpu(os)).isEmpty();
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-7"));
    }

    @Test
    void notAssignedToItIsEinval() {
      IhkException e = refused(Errno.EINVAL, () -> node.releaseOsCpu(os, cpus("4-5")));
      assertThat(e.getMessage()).contains("CPU 4").contains("not assigned to OS " + os)
          .contains("7,5-6");
      int other = create();
      assign(other, "4");
      refused(Errno.EINVAL, () -> node.releaseOsCpu(os, cpus("4")));
      refused(Errno.EINVAL, () -> node.releaseOsCpu(other, cpus("5")));
      refused(Errno.EINVAL, () -> node.releaseOsCpu(os, cpus("1")));
      refused(Errno.EINVAL, () -> node.releaseOsCpu(os, cpus("9")));
      refused(Errno.EINVAL, () -> node.releaseOsCpu(os, CpuList.EMPTY));
      refused(Errno.ENOENT, () -> node.releaseOsCpu(2, cpus("5")));
    }
  }

  // ------------------------------------------------------------------ ihkosctl assign/release mem

  @Nested
  class OsMem {
    int os;

    @BeforeEach
    void reserve() {
      ok(() -> node.reserveMem(mem("1G@0,512M@1")));
      os = create();
    }

    @Test
    void assignAndRelease() {
      ok(() -> node.assignMem(os, mem("256M@0,1M@1")));
      assertThat(node.queryOsMem(os)).isEqualTo("256M@0,4M@1");
      assertThat(node.instance(os).memoryOn(0)).isEqualTo(256 * M);
      assertThat(node.pool(0)).isEqualTo(768 * M);
      assertThat(node.pool(1)).isEqualTo(508 * M);
      assertThat(node.queryMem()).as("assigned memory stays reserved").isEqualTo("1G@0,512M@1");
      ok(() -> node.releaseOsMem(os, mem("128M@0")));
      assertThat(node.queryOsMem(os)).isEqualTo("128M@0,4M@1");
      assertThat(node.pool(0)).isEqualTo(896 * M);
      ok(() -> node.releaseOsMem(os, mem("all")));
      assertThat(node.queryOsMem(os)).isEmpty();
      assertThat(node.pool(0)).isEqualTo(G);
      assertThat(node.pool(1)).isEqualTo(512 * M);
    }

    @Test
    void assignAllAndAllAtN() {
      ok(() -> node.assignMem(os, mem("all@1")));
      assertThat(node.queryOsMem(os)).isEqualTo("512M@1");
      assertThat(node.pool(1)).isZero();
      ok(() -> node.assignMem(os, mem("all")));
      assertThat(node.queryOsMem(os)).isEqualTo("1G@0,512M@1");
      assertThat(node.pool(0)).isZero();
      ok(() -> node.releaseOsMem(os, mem("all@0")));
      assertThat(node.queryOsMem(os)).isEqualTo("512M@1");
    }

    @Test
    void assignMoreThanThePoolIsEnomem() {
      IhkException e = refused(Errno.ENOMEM, () -> node.assignMem(os, mem("2G@0")));
      assertThat(e.getMessage()).contains("NUMA node 0").contains("1G");
      refused(Errno.ENOMEM, () -> node.assignMem(os, mem("4M@0,516M@1")));
      ok(() -> node.assignMem(os, mem("768M@0")));
      int other = create();
      refused(Errno.ENOMEM, () -> node.assignMem(other, mem("512M@0")));
      refused(Errno.EINVAL, () -> node.assignMem(other, mem("4M@3")));
      refused(Errno.EINVAL, () -> node.assignMem(other, mem("all@3")));
      refused(Errno.ENOENT, () -> node.assignMem(-1, mem("4M@0")));
    }

    @Test
    void releaseMoreThanItHasIsEinval() {
      ok(() -> node.assignMem(os, mem("256M@0")));
      IhkException e = refused(Errno.EINVAL, () -> node.releaseOsMem(os, mem("512M@0")));
      assertThat(e.getMessage()).contains("has only 256M").contains("NUMA node 0");
      refused(Errno.EINVAL, () -> node.releaseOsMem(os, mem("4M@1")));
      refused(Errno.EINVAL, () -> node.releaseOsMem(os, mem("128M@0,4M@1")));
      refused(Errno.EINVAL, () -> node.releaseOsMem(os, mem("4M@2")));
      refused(Errno.ENOENT, () -> node.releaseOsMem(1, mem("4M@0")));
    }
  }

  // ------------------------------------------------------------------ load / kargs / ikc_map

  @Nested
  class ImageAndArguments {
    int os;

    @BeforeEach
    void createOs() {
      os = create();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankImageIsEinval(String image) {
      refused(Errno.EINVAL, () -> node.load(os, image));
    }

    @Test
    void loadAndNullImage() {
      refused(Errno.EINVAL, () -> node.load(os, null));
      ok(() -> node.load(os, "/opt/mckernel/smp-x86/kernel/mckernel.img"));
      assertThat(node.instance(os).image()).isEqualTo("/opt/mckernel/smp-x86/kernel/mckernel.img");
      refused(Errno.ENOENT, () -> node.load(1, "mckernel.img"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dump_level=24", "hidosx", "nohidos dump_level=24", "HIDOS"})
    void kargsWithoutHidosIsEinval(String kargs) {
      IhkException e = refused(Errno.EINVAL, () -> node.kargs(os, kargs));
      assertThat(e.getMessage()).contains("hidos");
    }

    @Test
    void kargsWithHidos() {
      ok(() -> node.kargs(os, "hidos dump_level=24"));
      assertThat(node.instance(os).kargs()).isEqualTo("hidos dump_level=24");
      ok(() -> node.kargs(os, "  allow_oversubscribe\thidos  "));
      assertThat(node.instance(os).kargs()).isEqualTo("allow_oversubscribe\thidos");
      refused(Errno.ENOENT, () -> node.kargs(1, "hidos"));
    }

    @Test
    void ikcMap() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      assign(os, "4-7");
      assertThat(node.getIkcMap(os)).as("default: all to Linux CPU 0").isEqualTo("4-7:0");
      ok(() -> node.setIkcMap(os, " 4-5:0+6-7:1 "));
      assertThat(node.getIkcMap(os)).isEqualTo("4-5:0+6-7:1");
      refused(Errno.ENOENT, () -> node.setIkcMap(1, "4:0"));
      refused(Errno.ENOENT, () -> node.getIkcMap(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "5", ":", "+", "4-7", "4-7:", "4-7:x", "4-7:0+", "4-2147483647:0",
        "4-7:99", "4-7:5", "4-7:-1", "4-8:0", "4-5:0", "4-5:0+6:1"})
    void aMalformedOrImpossibleIkcMapIsEinvalAndChangesNothing(String map) {
      ok(() -> node.reserveCpu(cpus("4-7")));
      assign(os, "4-7");
      IhkException e = refused(Errno.EINVAL, () -> node.setIkcMap(os, map));
      assertThat(e.getMessage()).startsWith("set ikc_map: ");
      assertThat(node.getIkcMap(os)).isEqualTo("4-7:0");
    }
  }

  // ------------------------------------------------------------------ refused while booted

  @ParameterizedTest
  @EnumSource(value = OsStatus.class, names = {"BOOTING", "RUNNING", "FREEZING", "FROZEN",
      "SHUTDOWN"})
  void resourceAndImageVerbsAreEbusyUnlessInactive(OsStatus status) {
    int os = inStatus(status);
    List<Runnable> verbs = List.of(
        () -> node.assignCpu(os, cpus("6"), List.of(6)),
        () -> node.releaseOsCpu(os, cpus("4")),
        () -> node.assignMem(os, mem("4M@0")),
        () -> node.releaseOsMem(os, mem("4M@0")),
        () -> node.load(os, "other.img"),
        () -> node.kargs(os, "hidos"),
        () -> node.setIkcMap(os, "4-5:0"),
        // even malformed arguments: the state is checked first
        () -> node.assignCpu(os, CpuList.EMPTY, List.of()),
        () -> node.load(os, ""),
        () -> node.kargs(os, "nothing"));
    for (Runnable verb : verbs) {
      IhkException e = refused(Errno.EBUSY, verb);
      assertThat(e.getMessage()).contains(status.shown());
    }
    assertThat(node.status(os)).isEqualTo(status);
  }

  // ------------------------------------------------------------------ boot

  @Nested
  class Boot {
    @Test
    void refusedUntilEverythingIsThere() {
      ok(() -> node.reserveCpu(cpus("4-7")));
      ok(() -> node.reserveMem(mem("1G@0")));
      int os = create();
      IhkException e = refused(Errno.EINVAL, () -> node.boot(os));
      assertThat(e.getMessage()).contains("no CPUs");
      assign(os, "4-5");
      e = refused(Errno.EINVAL, () -> node.boot(os));
      assertThat(e.getMessage()).contains("no memory");
      ok(() -> node.assignMem(os, mem("512M@0")));
      e = refused(Errno.EINVAL, () -> node.boot(os));
      assertThat(e.getMessage()).contains("no kernel image");
      ok(() -> node.load(os, "mckernel.img"));
      e = refused(Errno.EINVAL, () -> node.boot(os));
      assertThat(e.getMessage()).contains("no kernel arguments");
      ok(() -> node.kargs(os, "hidos"));
      ok(() -> node.boot(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.BOOTING);
      refused(Errno.ENOENT, () -> node.boot(1));
    }

    @Test
    void kargsAloneIsNotEnough() {
      int os = create();
      ok(() -> node.kargs(os, "hidos"));
      ok(() -> node.load(os, "mckernel.img"));
      refused(Errno.EINVAL, () -> node.boot(os));
    }

    @Test
    void bootTwiceIsEbusy() {
      int os = prepared();
      ok(() -> node.appendKmsg(os, "old line"));
      IhkNode.Instance inst = node.boot(os);
      node.check();
      assertThat(inst.id()).isEqualTo(os);
      assertThat(inst.cpus()).containsExactly(4, 5);
      assertThat(inst.status()).isEqualTo(OsStatus.BOOTING);
      assertThat(node.kmsg(os)).as("boot clears kmsg").isEmpty();
      IhkException e = refused(Errno.EBUSY, () -> node.boot(os));
      assertThat(e.getMessage()).contains("BOOTING");
      ok(() -> node.booted(os));
      e = refused(Errno.EBUSY, () -> node.boot(os));
      assertThat(e.getMessage()).contains("RUNNING");
    }

    @ParameterizedTest
    @EnumSource(value = OsStatus.class, names = {"FREEZING", "FROZEN", "SHUTDOWN"})
    void bootFromOtherStatesIsEbusy(OsStatus status) {
      int os = inStatus(status);
      refused(Errno.EBUSY, () -> node.boot(os));
    }

    @Test
    void bootedMakesItRunning() {
      int os = prepared();
      ok(() -> node.boot(os));
      Snapshot booting = snapshot(node);
      ok(() -> node.booted(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.RUNNING);
      assertThat(node.status(os).shown()).isEqualTo("RUNNING");
      assertThat(node.queryOsCpu(os)).isEqualTo("4-5");
      assertThat(snapshot(node).queryCpu()).isEqualTo(booting.queryCpu());
      // booted() is a no-op outside BOOTING
      Snapshot running = snapshot(node);
      ok(() -> node.booted(os));
      assertThat(snapshot(node)).isEqualTo(running);
      refused(Errno.ENOENT, () -> node.booted(1));
    }

    @ParameterizedTest
    @EnumSource(value = OsStatus.class, names = {"BOOTED", "READY"})
    void bootedAndReadyCountAsBooting(OsStatus internal) {
      int os = prepared();
      ok(() -> node.boot(os));
      node.instance(os).status = internal;
      node.check();
      assertThat(node.status(os).shown()).isEqualTo("BOOTING");
      refused(Errno.EBUSY, () -> node.boot(os));
      refused(Errno.EBUSY, () -> node.load(os, "x.img"));
      ok(() -> node.booted(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.RUNNING);
    }

    @Test
    void bootFailedIsInactiveWithResourcesStillAssigned() {
      int os = prepared();
      ok(() -> node.boot(os));
      ok(() -> node.bootFailed(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.NOT_BOOTED);
      assertThat(node.status(os).shown()).isEqualTo("INACTIVE");
      assertThat(node.queryOsCpu(os)).isEqualTo("4-5");
      assertThat(node.queryOsMem(os)).isEqualTo("1G@0,512M@1");
      assertThat(node.pooledCpus()).isEqualTo(cpus("6-7"));
      assertThat(node.instance(os).image()).isEqualTo("mckernel.img");
      assertThat(node.instance(os).kargs()).isEqualTo("hidos dump_level=24");
      // it can be reconfigured and booted again
      ok(() -> node.releaseOsCpu(os, cpus("5")));
      ok(() -> node.boot(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.BOOTING);
      ok(() -> node.booted(os));
      // bootFailed() is a no-op outside BOOTING
      Snapshot running = snapshot(node);
      ok(() -> node.bootFailed(os));
      assertThat(snapshot(node)).isEqualTo(running);
      refused(Errno.ENOENT, () -> node.bootFailed(1));
    }
  }

  // ------------------------------------------------------------------ shutdown

  @Nested
  class Shutdown {
    @Test
    void inactiveIsEinval() {
      int os = prepared();
      IhkException e = refused(Errno.EINVAL, () -> node.shutdown(os));
      assertThat(e.getMessage()).contains("INACTIVE");
      refused(Errno.ENOENT, () -> node.shutdown(1));
    }

    @Test
    void shutdownTwiceIsEbusyThenDoneReturnsResourcesToTheReservedPool() {
      int os = running();
      CpuList linuxCpus = node.linuxCpus();
      long free0 = node.linuxFree(0);
      long free1 = node.linuxFree(1);
      IhkNode.Instance inst = node.shutdown(os);
      node.check();
      assertThat(inst.status()).isEqualTo(OsStatus.SHUTDOWN);
      assertThat(node.status(os).shown()).isEqualTo("SHUTDOWN");
      // still assigned until the CPUs stop
      assertThat(node.queryOsCpu(os)).isEqualTo("4-5");
      IhkException e = refused(Errno.EBUSY, () -> node.shutdown(os));
      assertThat(e.getMessage()).contains("already");
      refused(Errno.EBUSY, () -> node.boot(os));
      refused(Errno.EINVAL, () -> node.freeze(os));

      ok(() -> node.shutdownDone(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.NOT_BOOTED);
      assertThat(node.queryOsCpu(os)).isEmpty();
      assertThat(node.queryOsMem(os)).isEmpty();
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-7"));
      assertThat(node.queryCpu()).isEqualTo("4-7");
      assertThat(node.pool(0)).isEqualTo(2 * G);
      assertThat(node.pool(1)).isEqualTo(G);
      assertThat(node.queryMem()).isEqualTo("2G@0,1G@1");
      // not with Linux
      assertThat(node.linuxCpus()).isEqualTo(linuxCpus).isEqualTo(cpus("0-3"));
      assertThat(node.linuxFree(0)).isEqualTo(free0);
      assertThat(node.linuxFree(1)).isEqualTo(free1);
      assertThat(node.osInstances()).containsExactly(os);
      refused(Errno.EINVAL, () -> node.shutdown(os));
      // a second shutdownDone is a no-op
      Snapshot after = snapshot(node);
      ok(() -> node.shutdownDone(os));
      assertThat(snapshot(node)).isEqualTo(after);
      refused(Errno.ENOENT, () -> node.shutdownDone(1));
    }

    @Test
    void shutdownDoneOutsideShutdownIsANoOp() {
      int os = running();
      Snapshot before = snapshot(node);
      ok(() -> node.shutdownDone(os));
      assertThat(snapshot(node)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(value = OsStatus.class, names = {"BOOTING", "RUNNING", "FREEZING", "FROZEN"})
    void shutdownFromAnyLiveState(OsStatus status) {
      int os = inStatus(status);
      ok(() -> node.shutdown(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.SHUTDOWN);
      ok(() -> node.shutdownDone(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.NOT_BOOTED);
      assertThat(node.pooledCpus()).isEqualTo(cpus("4-7"));
    }
  }

  // ------------------------------------------------------------------ freeze / thaw

  @Nested
  class FreezeThaw {
    @Test
    void freezeOnlyFromRunning() {
      int os = prepared();
      IhkException e = refused(Errno.EINVAL, () -> node.freeze(os));
      assertThat(e.getMessage()).contains("INACTIVE").contains("RUNNING");
      ok(() -> node.boot(os));
      refused(Errno.EINVAL, () -> node.freeze(os));
      ok(() -> node.booted(os));
      ok(() -> node.freeze(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.FREEZING);
      assertThat(node.status(os).shown()).isEqualTo("FREEZING");
      refused(Errno.EINVAL, () -> node.freeze(os));
      ok(() -> node.frozen(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.FROZEN);
      assertThat(node.status(os).shown()).isEqualTo("FROZEN");
      refused(Errno.EINVAL, () -> node.freeze(os));
      refused(Errno.ENOENT, () -> node.freeze(1));
    }

    @Test
    void frozenIsANoOpOutsideFreezing() {
      int os = running();
      Snapshot before = snapshot(node);
      ok(() -> node.frozen(os));
      assertThat(snapshot(node)).isEqualTo(before);
      refused(Errno.ENOENT, () -> node.frozen(1));
    }

    @Test
    void thawOnlyFromFreezingOrFrozen() {
      int os = prepared();
      IhkException e = refused(Errno.EINVAL, () -> node.thaw(os));
      assertThat(e.getMessage()).contains("INACTIVE").contains("FROZEN");
      ok(() -> node.boot(os));
      refused(Errno.EINVAL, () -> node.thaw(os));
      ok(() -> node.booted(os));
      refused(Errno.EINVAL, () -> node.thaw(os));
      // from FREEZING
      ok(() -> node.freeze(os));
      ok(() -> node.thaw(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.RUNNING);
      // from FROZEN
      ok(() -> node.freeze(os));
      ok(() -> node.frozen(os));
      ok(() -> node.thaw(os));
      assertThat(node.status(os)).isEqualTo(OsStatus.RUNNING);
      ok(() -> node.shutdown(os));
      refused(Errno.EINVAL, () -> node.thaw(os));
      refused(Errno.ENOENT, () -> node.thaw(1));
    }
  }

  // ------------------------------------------------------------------ status names, kmsg, queries

  @Test
  void statusShownNamesThroughALifecycle() {
    List<String> shown = new ArrayList<>();
    int os = prepared();
    Consumer<Runnable> step = r -> {
      ok(r);
      shown.add(node.status(os).shown());
    };
    shown.add(node.status(os).shown());
    step.accept(() -> node.boot(os));
    step.accept(() -> node.booted(os));
    step.accept(() -> node.freeze(os));
    step.accept(() -> node.frozen(os));
    step.accept(() -> node.thaw(os));
    step.accept(() -> node.shutdown(os));
    step.accept(() -> node.shutdownDone(os));
    assertThat(shown).containsExactly("INACTIVE", "BOOTING", "RUNNING", "FREEZING", "FROZEN",
        "RUNNING", "SHUTDOWN", "INACTIVE");
  }

  @Test
  void everyInternalStatusHasItsShownName() {
    assertThat(OsStatus.NOT_BOOTED.shown()).isEqualTo("INACTIVE");
    assertThat(OsStatus.BOOTING.shown()).isEqualTo("BOOTING");
    assertThat(OsStatus.BOOTED.shown()).isEqualTo("BOOTING");
    assertThat(OsStatus.READY.shown()).isEqualTo("BOOTING");
    assertThat(OsStatus.RUNNING.shown()).isEqualTo("RUNNING");
    assertThat(OsStatus.FREEZING.shown()).isEqualTo("FREEZING");
    assertThat(OsStatus.FROZEN.shown()).isEqualTo("FROZEN");
    assertThat(OsStatus.SHUTDOWN.shown()).isEqualTo("SHUTDOWN");
    assertThat(OsStatus.FAILED.shown()).isEqualTo("PANIC");
    assertThat(OsStatus.HUNGUP.shown()).isEqualTo("HUNGUP");
    assertThat(List.of(OsStatus.values())).filteredOn(OsStatus::booting)
        .containsExactly(OsStatus.BOOTING, OsStatus.BOOTED, OsStatus.READY);
  }

  @Test
  void kmsgAppendReadClear() {
    int os = create();
    ok(() -> node.appendKmsg(os, "IHK: booting"));
    ok(() -> node.appendKmsg(os, "IHK: done"));
    assertThat(node.kmsg(os)).containsExactly("IHK: booting", "IHK: done");
    ok(() -> node.clearKmsg(os));
    assertThat(node.kmsg(os)).isEmpty();
    ok(() -> node.appendKmsg(1, "to nobody")); // silently dropped
    refused(Errno.ENOENT, () -> node.kmsg(1));
    refused(Errno.ENOENT, () -> node.clearKmsg(1));
  }

  @Test
  void queriesOfMissingInstancesAreEnoent() {
    refused(Errno.ENOENT, () -> node.queryOsCpu(0));
    refused(Errno.ENOENT, () -> node.queryOsMem(0));
    refused(Errno.ENOENT, () -> node.status(0));
    refused(Errno.ENOENT, () -> node.instance(0));
    refused(Errno.ENOENT, () -> node.getIkcMap(0));
    refused(Errno.ENOENT, () -> node.load(0, "x"));
    refused(Errno.ENOENT, () -> node.kargs(0, "hidos"));
    refused(Errno.ENOENT, () -> node.shutdown(0));
    refused(Errno.ENOENT, () -> node.thaw(0));
  }

  @Test
  void toolMessageCarriesStrerrorAndName() {
    IhkException e = refused(Errno.EINVAL, () -> node.reserveCpu(cpus("0")));
    assertThat(e.toolMessage()).endsWith(": Invalid argument (EINVAL)");
    assertThat(Errno.EINVAL.number()).isEqualTo(22);
    assertThat(Errno.EBUSY.number()).isEqualTo(16);
    assertThat(Errno.ENOMEM.number()).isEqualTo(12);
    assertThat(Errno.ENOENT.number()).isEqualTo(2);
    assertThat(Errno.ENOSPC.number()).isEqualTo(28);
  }

  // ------------------------------------------------------------------ randomized

  static final String[] CPU_LISTS = {"", "0", "1", "4", "5", "7", "8", "9", "1-3", "4-7", "6-9", "2,5",
      "0-7", "3-5", "1,7", "5-6"};
  static final String[] MEM_SPECS = {"all", "all@0", "all@1", "all@2", "1@0", "4M@0", "5M@1",
      "100M@0", "512M@0", "1G@0", "1G@1", "2G@1", "3G@1", "6808M@0", "6812M@0", "7G@0", "4M@2",
      "64M@0,64M@1", "1G@0,3G@1", "256M@1,256M@1"};
  static final String[] KARGS = {"hidos", "hidos dump_level=24", "dump_level=24", "", "hidos2"};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 20240601L, -7L, 0x5eedL})
  void randomVerbsKeepTheInvariantAndRefusalsChangeNothing(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int refusedCount = 0;
    int okCount = 0;
    int boots = 0;
    for (int step = 0; step < 2000; step++) {
      int os = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? -1 : 2) : rnd.nextInt(2);
      // a third of the CPU lists from a table (with nonexistent CPUs and CPU 0), the rest drawn from
      // the pooled CPUs or from an instance's CPUs, so that assign and release often succeed
      int source = rnd.nextInt(3);
      String cl;
      if (source == 0 || node.osInstances().isEmpty() && source == 2) {
        cl = CPU_LISTS[rnd.nextInt(CPU_LISTS.length)];
      } else {
        CpuList from;
        if (source == 1) {
          from = node.pooledCpus();
        } else {
          int owner = node.osInstances().contains(os) ? os
              : node.osInstances().get(rnd.nextInt(node.osInstances().size()));
          from = CpuList.parse(node.queryOsCpu(owner));
        }
        cl = subset(rnd, from).toString();
      }
      CpuList list = cpus(cl);
      List<Integer> order = new ArrayList<>();
      for (int c : list.toArray()) {
        order.add(c);
      }
      if (rnd.nextBoolean()) {
        java.util.Collections.reverse(order);
      }
      MemorySpec spec = mem(MEM_SPECS[rnd.nextInt(MEM_SPECS.length)]);
      String kargs = KARGS[rnd.nextInt(KARGS.length)];
      // 27 verbs; the extra draws favour the steps that lead towards RUNNING and FROZEN
      int verb = switch (rnd.nextInt(32)) {
        case 27, 28 -> 17;
        case 29 -> 21;
        case 30 -> 23;
        case 31 -> 7;
        default -> -1;
      };
      if (verb < 0) {
        verb = rnd.nextInt(27);
      }
      String what = "seed " + seed + " step " + step + " verb " + verb + " os " + os + " cpus '" + cl
          + "' order " + order + " mem " + spec + " kargs '" + kargs + "'";
      Runnable r = switch (verb) {
        case 0 -> () -> node.reserveCpu(list);
        case 1 -> () -> node.releaseCpu(list);
        case 2 -> () -> node.reserveMem(spec);
        case 3 -> () -> node.releaseMem(spec);
        case 4, 5 -> () -> node.create();
        case 6 -> () -> node.destroy(os);
        case 7, 8 -> () -> node.assignCpu(os, list, order);
        case 9 -> () -> node.releaseOsCpu(os, list);
        case 10, 11 -> () -> node.assignMem(os, spec);
        case 12 -> () -> node.releaseOsMem(os, spec);
        case 13 -> () -> node.load(os, rnd.nextInt(4) == 0 ? "" : "mckernel.img");
        case 14 -> () -> node.kargs(os, kargs);
        case 15, 16 -> () -> node.boot(os);
        case 17 -> () -> node.booted(os);
        case 18 -> () -> node.bootFailed(os);
        case 19 -> () -> node.shutdown(os);
        case 20 -> () -> node.shutdownDone(os);
        case 21 -> () -> node.freeze(os);
        case 22 -> () -> node.frozen(os);
        case 23 -> () -> node.thaw(os);
        case 24 -> () -> node.hold(os);
        case 25 -> () -> node.unhold(os);
        case 26 -> () -> node.setIkcMap(os, "4-7:0");
        default -> throw new AssertionError(verb);
      };
      Snapshot before = snapshot(node);
      try {
        r.run();
        okCount++;
        if (verb == 15 || verb == 16) {
          boots++;
        }
      } catch (IhkException e) {
        refusedCount++;
        assertThat(snapshot(node)).as("%s: refused (%s %s) but state changed", what, e.errno(),
            e.getMessage()).isEqualTo(before);
      }
      try {
        node.check();
      } catch (IllegalStateException e) {
        throw new AssertionError(what + ": invariant broken: " + e.getMessage(), e);
      }
      assertInvariantFromOutside(what);
    }
    assertThat(okCount).as("seed %d: successes", seed).isGreaterThan(200);
    assertThat(refusedCount).as("seed %d: refusals", seed).isGreaterThan(200);
    assertThat(boots).as("seed %d: successful boots", seed).isPositive();
  }

  /** A random non-empty subset of {@code from} (empty only when {@code from} is). */
  static CpuList subset(SplittableRandom rnd, CpuList from) {
    if (from.isEmpty()) {
      return from;
    }
    List<Integer> picked = new ArrayList<>();
    for (int c : from.toArray()) {
      if (rnd.nextBoolean()) {
        picked.add(c);
      }
    }
    if (picked.isEmpty()) {
      picked.add(from.get(rnd.nextInt(from.size())));
    }
    return CpuList.of(picked.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The same accounting, seen only through the public queries. */
  void assertInvariantFromOutside(String what) {
    CpuList reserved = CpuList.parse(node.queryCpu());
    assertThat(reserved.union(node.linuxCpus())).as(what).isEqualTo(cpus("0-7"));
    assertThat(reserved.intersect(node.linuxCpus())).as(what).isEqualTo(CpuList.EMPTY);
    assertThat(node.linuxCpus().contains(0)).as(what + ": CPU 0 stays with Linux").isTrue();
    CpuList assigned = CpuList.EMPTY;
    long[] assignedMem = new long[2];
    for (int os : node.osInstances()) {
      CpuList mine = CpuList.parse(node.queryOsCpu(os));
      assertThat(mine.intersect(assigned)).as(what).isEqualTo(CpuList.EMPTY);
      assertThat(node.instance(os).cpus()).as(what).doesNotHaveDuplicates();
      assigned = assigned.union(mine);
      for (int n = 0; n < 2; n++) {
        assertThat(node.instance(os).memoryOn(n)).as(what).isNotNegative();
        assertThat(node.instance(os).memoryOn(n) % MemorySpec.UNIT).as(what).isZero();
        assignedMem[n] += node.instance(os).memoryOn(n);
      }
    }
    assertThat(assigned.union(node.pooledCpus())).as(what).isEqualTo(reserved);
    assertThat(assigned.intersect(node.pooledCpus())).as(what).isEqualTo(CpuList.EMPTY);
    long[] free = {FREE0, FREE1};
    for (int n = 0; n < 2; n++) {
      assertThat(node.pool(n)).as(what).isNotNegative();
      assertThat(node.pool(n) % MemorySpec.UNIT).as(what).isZero();
      assertThat(node.reserved(n)).as(what).isEqualTo(node.pool(n) + assignedMem[n]);
      assertThat(node.linuxFree(n) + node.reserved(n)).as(what).isEqualTo(free[n]);
    }
    assertThat(node.reserved(0)).as(what).isLessThanOrEqualTo(RESERVABLE0);
  }

  @Test
  void everyStatusStepIsOneIhksDriverCanTakeAndAnIllegalOneIsRefused() {
    int os = running();
    long steps = node.steps();
    // a running instance cannot be restarted in place: only a failed one that was shut down can
    assertThatThrownBy(() -> node.restarted(os)).isInstanceOf(IhkNode.IllegalStep.class)
        .hasMessageContaining("cannot go from RUNNING (RUNNING) to NOT_BOOTED (INACTIVE)");
    assertThat(node.status(os)).isEqualTo(OsStatus.RUNNING);
    node.panicked(os);
    node.shutdown(os);
    node.restarted(os);
    assertThat(node.status(os)).isEqualTo(OsStatus.NOT_BOOTED);
    assertThat(node.steps()).isEqualTo(steps + 3);
    node.check();
    assertThat(OsStatus.RUNNING.canStepTo(OsStatus.BOOTING)).isFalse();
    assertThat(OsStatus.NOT_BOOTED.canStepTo(OsStatus.RUNNING)).isFalse();
    assertThat(OsStatus.FAILED.canStepTo(OsStatus.RUNNING)).isFalse();
    assertThat(OsStatus.HUNGUP.canStepTo(OsStatus.SHUTDOWN)).isTrue();
  }
}
