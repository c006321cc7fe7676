package io.mcksim.ihk;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Reads and writes {@link InstanceDump} files with the project's Kryo table. A dump appears whole or
 * not at all: it is written to a temporary file beside the target and moved into place. Dumps are
 * written only inside a dump folder (the shell's {@code --out}): {@link #resolve} refuses a name that
 * leads out of it, or that names a file already there (mcksim overwrites no file, not even a dump).
 */
public final class DumpFile {

  private DumpFile() {}

  /**
   * Where the dump named {@code name} goes in {@code folder}: a relative name is taken inside the
   * folder; {@code ..}, an absolute path elsewhere, or a link in the folder that leads out of it is
   * refused, and so is a name already taken. Nothing is created.
   *
   * @throws IhkException EACCES when the name leads out of the folder, EEXIST when something has that
   *                      name already, EINVAL when it is no path
   */
  public static Path resolve(Path folder, String name) {
    Path root = folder.toAbsolutePath().normalize();
    Path target;
    try {
      target = root.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new IhkException(Errno.EINVAL, "dump: '" + name + "' is not a file name: " + e.getReason());
    }
    if (!target.startsWith(root) || target.equals(root) || !insideAfterLinks(root, target)) {
      throw new IhkException(Errno.EACCES, "dump: '" + name + "' is outside the dump folder " + root
          + "; give a file name inside it (the folder is the shell's --out)");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IhkException(Errno.EEXIST, "dump: " + target + " already exists; mcksim overwrites no file,"
          + " give another name");
    }
    return target;
  }

  /** Whether the deepest existing folder on the way to {@code target} is still inside {@code root}. */
  private static boolean insideAfterLinks(Path root, Path target) {
    Path existing = target.getParent();
    while (existing.startsWith(root) && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!existing.startsWith(root)) {
      return true; // the folder does not exist yet: nothing in it can be a link
    }
    try {
      return existing.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private static Kryo kryo() {
    return KryoRegistry.of(List.of(new IhkKryoRegistrar())).newKryo(DumpFile.class.getClassLoader(), null);
  }

  public static void write(Path file, InstanceDump dump) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
    try {
      try (OutputStream os = Files.newOutputStream(tmp); Output out = new Output(os)) {
        kryo().writeObject(out, dump);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static InstanceDump read(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file); Input in = new Input(is)) {
      return kryo().readObject(in, InstanceDump.class);
    } catch (KryoException e) {
      throw new IOException(file + " is not an mcksim instance dump: " + e.getMessage(), e);
    }
  }
}
