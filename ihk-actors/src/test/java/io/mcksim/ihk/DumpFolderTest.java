package io.mcksim.ihk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ihkosctl OS dump FILE} writes only inside the model's dump folder: {@code ..}, absolute paths
 * elsewhere and links that lead out of the folder are refused with EACCES, and nothing is written (the
 * shell's node model writing its dumps: machine's {@code IhkNodesTest}).
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
}
