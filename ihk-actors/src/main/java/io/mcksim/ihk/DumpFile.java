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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Reads and writes {@link InstanceDump} files with the project's Kryo table. A dump appears whole or
 * not at all: it is written to a temporary file beside the target and moved into place.
 */
public final class DumpFile {

  private DumpFile() {}

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
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
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
