package io.mcksim.ihk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ihkosctl OS dump FILE} writes only inside the model's dump folder: {@code ..}, absolute paths
 * elsewhere and links that lead out of the folder are refused with EACCES, and nothing is written.
 */
class DumpFolderTest {

  @TempDir
  Path dir;

  private Path folder() {
    return dir.resolve("dumps");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"..", "../x", "../../x", "a/../../x", ".", "./", "a/..", "/etc/passwd", "/tmp/x"})
  void aNameThatLeadsOutOfTheFolderIsRefusedWithEacces(String name) {
    IhkException e = catchThrowableOfType(IhkException.class, () -> DumpFile.resolve(folder(), name));
    assertThat(e).as("'%s'", name).isNotNull();
    assertThat(e.errno()).isEqualTo(Errno.EACCES);
    assertThat(e.toolMessage()).contains("'" + name + "' is outside the dump folder", "--out",
        "Permission denied (EACCES)");
  }

  @Test
  void aNameInsideTheFolderIsTakenThereAbsoluteOrNot() {
    Path root = folder().toAbsolutePath();
    assertThat(DumpFile.resolve(folder(), "mcdump")).isEqualTo(root.resolve("mcdump"));
    assertThat(DumpFile.resolve(folder(), "a/b/../c")).isEqualTo(root.resolve("a/c"));
    assertThat(DumpFile.resolve(folder(), root.resolve("x").toString())).isEqualTo(root.resolve("x"));
  }

  @Test
  void aLinkInTheFolderThatLeadsOutOfItIsRefused() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createDirectories(folder());
    Files.createSymbolicLink(folder().resolve("link"), outside);
    for (String name : List.of("link/x", "link/new/x")) {
      IhkException e = catchThrowableOfType(IhkException.class, () -> DumpFile.resolve(folder(), name));
      assertThat(e).as(name).isNotNull();
      assertThat(e.errno()).isEqualTo(Errno.EACCES);
    }
  }

  @Test
  void aFileOrLinkAlreadyThereIsNeverOverwritten() throws IOException {
    Files.createDirectories(folder());
    Files.writeString(folder().resolve("notes.txt"), "the user's");
    Files.createSymbolicLink(folder().resolve("link"), dir);
    for (String name : List.of("notes.txt", "link")) {
      IhkException e = catchThrowableOfType(IhkException.class, () -> DumpFile.resolve(folder(), name));
      assertThat(e).as(name).isNotNull();
      assertThat(e.errno()).isEqualTo(Errno.EEXIST);
      assertThat(e.getMessage()).contains("already exists; mcksim overwrites no file");
    }
    assertThat(Files.readString(folder().resolve("notes.txt"))).isEqualTo("the user's");
  }

  @Test
  void aNameThatIsNoPathIsRefusedWithEinval() {
    IhkException e = catchThrowableOfType(IhkException.class, () -> DumpFile.resolve(folder(), "a\0b"));
    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
  }

  /** The commands given to node 0's operator, one job each, and what the console printed. */
  private static List<Operator.ConsoleLine> commands(IhkModel model, String... lines) {
    SequentialEngine.Session session = SequentialEngine.open(model);
    for (String line : lines) {
      session.inject(model.layout().operator(0), 0, new Operator.Job(line, List.of(Operator.Step.command(line)),
          false));
    }
    session.advanceTo(1_000_000_000L);
    assertThat(model.operator(0).idle()).isTrue();
    return model.operator(0).drainConsole();
  }

  private static IhkModel model(Path dumpFolder) {
    return new IhkModel(new ScenarioLoader().load(null, List.of("machine.nodes=1")), false, dumpFolder);
  }

  @Test
  void theShellsDumpWritesInsideItsFolderAndRefusesEveryWayOut() throws IOException {
    List<Operator.ConsoleLine> console = commands(model(folder()), "ihkconfig 0 create",
        "ihkosctl 0 dump ../escaped", "ihkosctl 0 dump " + dir.resolve("absolute"), "ihkosctl 0 dump -d 24 kept");
    assertThat(console).extracting(Operator.ConsoleLine::text).containsExactly(
        "error: dump: '../escaped' is outside the dump folder " + folder().toAbsolutePath()
            + "; give a file name inside it (the folder is the shell's --out): Permission denied (EACCES)",
        "error: dump: '" + dir.resolve("absolute") + "' is outside the dump folder " + folder().toAbsolutePath()
            + "; give a file name inside it (the folder is the shell's --out): Permission denied (EACCES)",
        "dumped OS 0 to " + folder().resolve("kept"));
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).containsExactly(folder().resolve("kept"));
    }
    assertThat(DumpFile.read(folder().resolve("kept")).level()).isEqualTo(24);
  }

  @Test
  void aModelWithoutADumpFolderWritesNoDump() throws IOException {
    List<Operator.ConsoleLine> console = commands(model(null), "ihkconfig 0 create", "ihkosctl 0 dump x");
    assertThat(console).extracting(Operator.ConsoleLine::text).containsExactly(
        "error: dump: this run has no dump folder; dumps are written by the shell (mcksim shell --out DIR):"
            + " Permission denied (EACCES)");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
