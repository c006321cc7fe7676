package io.mcksim.ihk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcksim.config.CpuList;
import io.mcksim.config.MemorySpec;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command-line parser of {@code ihkconfig} and {@code ihkosctl}. */
class IhkCommandTest {

  static final long M = 1L << 20;
  static final long G = 1L << 30;

  static IhkException einval(String line) {
    IhkException e = catchThrowableOfType(IhkException.class, () -> IhkCommand.parse(line));
    assertThat(e).as("parse(\"%s\") should be refused", line).isNotNull();
    assertThat(e.errno()).as("errno for \"%s\": %s", line, e.getMessage()).isEqualTo(Errno.EINVAL);
    assertThat(e.getMessage()).isNotBlank();
    return e;
  }

  // ------------------------------------------------------------------ every verb

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ihkconfig 0 reserve cpu 4-7           | ihkconfig | 0 | reserve cpu      | 4-7",
      "ihkconfig 0 reserve mem 512M@0,1G@1   | ihkconfig | 0 | reserve mem      | 512M@0,1G@1",
      "ihkconfig 0 release cpu 5-6           | ihkconfig | 0 | release cpu      | 5-6",
      "ihkconfig 0 release mem 256M@1        | ihkconfig | 0 | release mem      | 256M@1",
      "ihkconfig 0 release mem all           | ihkconfig | 0 | release mem      | all",
      "ihkconfig 0 query cpu                 | ihkconfig | 0 | query cpu        | ''",
      "ihkconfig 0 query mem                 | ihkconfig | 0 | query mem        | ''",
      "ihkconfig 0 create                    | ihkconfig | 0 | create           | ''",
      "ihkconfig 0 destroy 0                 | ihkconfig | 0 | destroy          | 0",
      "ihkconfig 0 get os_instances          | ihkconfig | 0 | get os_instances | ''",
      "ihkconfig 1 query cpu                 | ihkconfig | 1 | query cpu        | ''",
      "ihkosctl 0 assign cpu 6,5             | ihkosctl  | 0 | assign cpu       | 6,5",
      "ihkosctl 0 assign mem 1G@0            | ihkosctl  | 0 | assign mem       | 1G@0",
      "ihkosctl 0 assign mem all             | ihkosctl  | 0 | assign mem       | all",
      "ihkosctl 0 release cpu 5              | ihkosctl  | 0 | release cpu      | 5",
      "ihkosctl 0 release mem all            | ihkosctl  | 0 | release mem      | all",
      "ihkosctl 0 release mem 4M@0           | ihkosctl  | 0 | release mem      | 4M@0",
      "ihkosctl 0 query cpu                  | ihkosctl  | 0 | query cpu        | ''",
      "ihkosctl 0 query mem                  | ihkosctl  | 0 | query mem        | ''",
      "ihkosctl 0 query                      | ihkosctl  | 0 | query            | ''",
      "ihkosctl 0 dump -d 24 /tmp/mcdump     | ihkosctl  | 0 | dump             | -d 24 /tmp/mcdump",
      "ihkosctl 0 load /opt/mck/mckernel.img | ihkosctl  | 0 | load             | /opt/mck/mckernel.img",
      "ihkosctl 0 kargs hidos                | ihkosctl  | 0 | kargs            | hidos",
      "ihkosctl 0 boot                       | ihkosctl  | 0 | boot             | ''",
      "ihkosctl 0 shutdown                   | ihkosctl  | 0 | shutdown         | ''",
      "ihkosctl 0 get status                 | ihkosctl  | 0 | get status       | ''",
      "ihkosctl 0 status                     | ihkosctl  | 0 | status           | ''",
      "ihkosctl 0 kmsg                       | ihkosctl  | 0 | kmsg             | ''",
      "ihkosctl 0 clear_kmsg                 | ihkosctl  | 0 | clear_kmsg       | ''",
      "ihkosctl 0 set ikc_map 4-5:0+6-7:1    | ihkosctl  | 0 | set ikc_map      | 4-5:0+6-7:1",
      "ihkosctl 0 get ikc_map                | ihkosctl  | 0 | get ikc_map      | ''",
      "ihkosctl 0 freeze                     | ihkosctl  | 0 | freeze           | ''",
      "ihkosctl 0 thaw                       | ihkosctl  | 0 | thaw             | ''",
      "ihkosctl 1 get status                 | ihkosctl  | 1 | get status       | ''",
  })
  void parsesEveryVerb(String line, String tool, int target, String verb, String arg) {
    IhkCommand c = IhkCommand.parse(line);
    assertThat(c.tool()).isEqualTo(tool);
    assertThat(c.target()).isEqualTo(target);
    assertThat(c.verb()).isEqualTo(verb);
    assertThat(c.arg()).isEqualTo(arg);
    assertThat(c.line()).isEqualTo(line);
  }

  @Test
  void typedArguments() {
    IhkCommand reserve = IhkCommand.parse("ihkconfig 0 reserve cpu 4-7");
    assertThat(reserve.cpus()).isEqualTo(CpuList.range(4, 7));

    IhkCommand mem = IhkCommand.parse("ihkconfig 0 reserve mem 512M@0,1G@1");
    assertThat(mem.memory().chunks()).containsExactly(new MemorySpec.Chunk(512 * M, 0),
        new MemorySpec.Chunk(G, 1));
    assertThat(mem.memory().all()).isFalse();

    assertThat(IhkCommand.parse("ihkconfig 0 destroy 1").osArgument()).isEqualTo(1);
    assertThat(IhkCommand.parse("ihkconfig 0 destroy  3 ").osArgument()).isEqualTo(3);

    IhkCommand load = IhkCommand.parse("ihkosctl 0 load mckernel.img");
    assertThat(load.text()).isEqualTo("mckernel.img");
  }

  @Test
  void quotedKargsStayWhole() {
    IhkCommand c = IhkCommand.parse("ihkosctl 0 kargs \"hidos dump_level=24\"");
    assertThat(c.verb()).isEqualTo("kargs");
    assertThat(c.arg()).isEqualTo("\"hidos dump_level=24\"");
    assertThat(c.text()).isEqualTo("hidos dump_level=24");

    IhkCommand single = IhkCommand.parse("ihkosctl 0 kargs 'hidos  allow_oversubscribe'");
    assertThat(single.text()).as("blanks inside quotes are kept").isEqualTo("hidos  allow_oversubscribe");

    IhkCommand unquoted = IhkCommand.parse("ihkosctl 0 kargs hidos dump_level=24");
    assertThat(unquoted.text()).isEqualTo("hidos dump_level=24");

    assertThat(IhkCommand.split("ihkosctl 0 kargs \"hidos dump_level=24\" x"))
        .containsExactly("ihkosctl", "0", "kargs", "\"hidos dump_level=24\"", "x");
  }

  @Test
  void blanksAroundAndBetweenWordsDoNotMatter() {
    IhkCommand c = IhkCommand.parse("  ihkconfig   0\treserve  cpu   4-7  ");
    assertThat(c.tool()).isEqualTo("ihkconfig");
    assertThat(c.verb()).isEqualTo("reserve cpu");
    assertThat(c.arg()).isEqualTo("4-7");
    assertThat(c.line()).isEqualTo("ihkconfig   0\treserve  cpu   4-7");
  }

  @Test
  void commandsAreMessages() {
    assertThat(IhkCommand.parse("ihkosctl 0 boot")).isInstanceOf(IhkMessage.class);
  }

  // ------------------------------------------------------------------ cpuOrder / memory

  @Nested
  class CpuOrder {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "6,5        | 6;5",
        "4-7        | 4;5;6;7",
        "7,4-5      | 7;4;5",
        "4-6,5      | 4;5;6",
        "3,3        | 3",
        "7,1-2,5    | 7;1;2;5",
    })
    void keepsTheWrittenOrderWithoutDuplicates(String list, String expected) {
      IhkCommand c = IhkCommand.parse("ihkosctl 0 assign cpu " + list);
      List<Integer> want = java.util.Arrays.stream(expected.split(";")).map(Integer::valueOf).toList();
      assertThat(c.cpuOrder()).containsExactlyElementsOf(want);
      assertThat(c.cpus()).as("cpus() is the same set, ascending")
          .isEqualTo(CpuList.of(want.stream().mapToInt(Integer::intValue).toArray()));
    }

  }

  @Nested
  class Memory {
    @Test
    void roundsUpTo4Mib() {
      MemorySpec m = IhkCommand.parse("ihkosctl 0 assign mem 1M@0,4097K@1").memory();
      assertThat(m.chunks()).containsExactly(new MemorySpec.Chunk(4 * M, 0),
          new MemorySpec.Chunk(8 * M, 1));
      assertThat(IhkCommand.parse("ihkconfig 0 reserve mem 10@0").memory().bytesOn(0))
          .isEqualTo(MemorySpec.UNIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1g@0", "1G@0", "1GiB@0", "1GB@0", "1024M@0", "1048576K@0"})
    void unitSpellings(String spec) {
      assertThat(IhkCommand.parse("ihkconfig 0 reserve mem " + spec).memory().bytesOn(0)).isEqualTo(G);
    }

    @Test
    void allAndAllAtN() {
      MemorySpec all = IhkCommand.parse("ihkosctl 0 assign mem all").memory();
      assertThat(all.all()).isTrue();
      assertThat(all.allNuma()).isEqualTo(-1);
      MemorySpec one = IhkCommand.parse("ihkconfig 0 reserve mem all@1").memory();
      assertThat(one.all()).isTrue();
      assertThat(one.allNuma()).isEqualTo(1);
      assertThat(IhkCommand.parse("ihkconfig 0 release mem ALL").memory().all()).isTrue();
    }

    @Test
    void releaseMemAllIsExplicit() {
      MemorySpec m = IhkCommand.parse("ihkconfig 0 release mem all").memory();
      assertThat(m.all()).isTrue();
      assertThat(m.allNuma()).isEqualTo(-1);
    }

    @Test
    void absurdSizesAndNegativeNumaNodesAreRefused() {
      assertThat(einval("ihkconfig 0 reserve mem 9223372036854775807@0").getMessage())
          .contains("larger than any node");
      einval("ihkconfig 0 reserve mem all@-3");
    }

    @Test
    void blanksInsideTheSpec() {
      MemorySpec m = IhkCommand.parse("ihkconfig 0 reserve mem 512M@0, 1G@1").memory();
      assertThat(m.bytesOn(0)).isEqualTo(512 * M);
      assertThat(m.bytesOn(1)).isEqualTo(G);
    }
  }

  // ------------------------------------------------------------------ errors

  @Nested
  class Errors {
    @ParameterizedTest
    @ValueSource(strings = {"mcctrl 0 create", "ihk 0 query cpu", "IHKCONFIG 0 create", "", "   ",
        "ihkconfig", "ihkconfig 0", "ihkosctl 0", "0 reserve cpu 4"})
    void unknownToolOrTooShort(String line) {
      IhkException e = einval(line);
      assertThat(e.getMessage()).contains("not an IHK command");
    }

    @Test
    void unknownVerbListsTheKnownVerbs() {
      IhkException e = einval("ihkconfig 0 frobnicate");
      assertThat(e.getMessage()).contains("frobnicate").contains("ihkconfig knows:")
          .contains("reserve cpu", "reserve mem", "release cpu", "release mem", "query cpu",
              "query mem", "create", "destroy", "get os_instances");
      e = einval("ihkosctl 0 reboot now");
      assertThat(e.getMessage()).contains("reboot now").contains("ihkosctl knows:")
          .contains("assign cpu", "assign mem", "load", "kargs", "boot", "shutdown", "get status",
              "set ikc_map", "get ikc_map", "freeze", "thaw");
    }

    @Test
    void verbsOfTheOtherToolAreUnknown() {
      assertThat(einval("ihkosctl 0 reserve cpu 4-7").getMessage()).contains("ihkosctl knows:");
      assertThat(einval("ihkosctl 0 create").getMessage()).contains("ihkosctl knows:");
      assertThat(einval("ihkconfig 0 boot").getMessage()).contains("ihkconfig knows:");
      assertThat(einval("ihkconfig 0 assign cpu 4").getMessage()).contains("ihkconfig knows:");
      assertThat(einval("ihkconfig 0 get status").getMessage()).contains("ihkconfig knows:");
    }

    @Test
    void verbsAreCaseSensitive() {
      einval("ihkosctl 0 BOOT");
      einval("ihkconfig 0 Reserve cpu 4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ihkosctl x get status", "ihkosctl 0x1 boot", "ihkosctl 1.5 boot",
        "ihkosctl - boot", "ihkconfig zero create", "ihkconfig 99999999999 create"})
    void nonNumericTarget(String line) {
      IhkException e = einval(line);
      assertThat(e.getMessage()).contains("is not a");
    }

    @Test
    void nonNumericTargetNamesWhatWasExpected() {
      assertThat(einval("ihkosctl x get status").getMessage()).contains("'x'").contains("OS number");
      assertThat(einval("ihkconfig x create").getMessage()).contains("'x'").contains("device number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ihkconfig 0 reserve cpu 4-", "ihkconfig 0 reserve cpu a-b",
        "ihkconfig 0 reserve cpu 7-4", "ihkconfig 0 reserve cpu 4,,5", "ihkconfig 0 reserve cpu -1",
        "ihkconfig 0 reserve cpu 4;5", "ihkconfig 0 release cpu x", "ihkosctl 0 assign cpu 1-2-3",
        "ihkosctl 0 assign cpu 4,", "ihkosctl 0 release cpu four", "ihkconfig 0 reserve cpu 4 - x"})
    void malformedCpuList(String line) {
      IhkException e = einval(line);
      assertThat(e.getMessage()).contains(line.contains("ihkosctl") ? "ihkosctl" : "ihkconfig");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ihkconfig 0 reserve mem 1G", "ihkconfig 0 reserve mem 1X@0",
        "ihkconfig 0 reserve mem 1G@", "ihkconfig 0 reserve mem @0", "ihkconfig 0 reserve mem 0M@0",
        "ihkconfig 0 reserve mem 1.5G@0", "ihkconfig 0 reserve mem -1G@0",
        "ihkconfig 0 reserve mem all@x", "ihkconfig 0 reserve mem alll",
        "ihkconfig 0 reserve mem 1G@0,,1G@1", "ihkconfig 0 reserve mem 8388608T@0",
        "ihkconfig 0 reserve mem 99999999999999999999@0", "ihkconfig 0 reserve mem 1G@99999999999",
        "ihkconfig 0 release mem 1G", "ihkosctl 0 assign mem lots", "ihkosctl 0 release mem 1G@a"})
    void malformedMemory(String line) {
      IhkException e = einval(line);
      assertThat(e.getMessage()).contains(line.contains("ihkosctl") ? "ihkosctl" : "ihkconfig");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ihkosctl 0 load", "ihkosctl 0 kargs", "ihkosctl 0 set ikc_map",
        "ihkosctl 0 load   ", "ihkconfig 0 destroy"})
    void missingArgument(String line) {
      einval(line);
    }

    @Test
    void missingArgumentMessages() {
      assertThat(einval("ihkosctl 0 load").getMessage()).contains("missing argument");
      assertThat(einval("ihkosctl 0 kargs").getMessage()).contains("missing argument");
      assertThat(einval("ihkconfig 0 destroy").getMessage()).contains("missing argument");
      assertThat(einval("ihkconfig 0 reserve mem").getMessage()).contains("missing argument");
      assertThat(einval("ihkosctl 0 assign mem").getMessage()).contains("missing argument");
      assertThat(einval("ihkosctl 0 release cpu").getMessage()).contains("missing argument");
      assertThat(einval("ihkconfig 0 destroy x").getMessage()).contains("'x'");
    }

    @Test
    void extraWordsAndNegativeTargetsAreRefused() {
      assertThat(einval("ihkconfig 0 create junk").getMessage()).contains("takes no argument");
      assertThat(einval("ihkosctl -1 boot").getMessage()).contains("not negative");
    }

    @Test
    void exceptionsCarryToolMessage() {
      IhkException e = einval("ihkconfig 0 reserve cpu 4-");
      assertThat(e.toolMessage()).startsWith(e.getMessage()).endsWith("Invalid argument (EINVAL)");
    }
  }
}
