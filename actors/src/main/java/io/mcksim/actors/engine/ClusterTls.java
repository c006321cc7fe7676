package io.mcksim.actors.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The keys a run's JVMs prove to each other that they belong to it: Pekko's TLS transport with mutual
 * authentication, each JVM presenting the key of its key store and accepting only peers whose
 * certificate its trust store holds. A JVM without them cannot connect to one that has them, nor the
 * other way round. Both stores are PKCS12 (or JKS) files, each with its password.
 *
 * <p>Keys made for one run ({@link #owning}) live in a folder of their own, deleted when the run is
 * over ({@link #close}); keys a user gives are left as they are.
 */
public final class ClusterTls implements AutoCloseable {

  private final Path keyStore;
  private final String keyStorePassword;
  private final Path trustStore;
  private final String trustStorePassword;
  private final Path ownedFolder;

  private ClusterTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
      Path ownedFolder) {
    this.keyStore = keyStore.toAbsolutePath();
    this.keyStorePassword = keyStorePassword;
    this.trustStore = trustStore.toAbsolutePath();
    this.trustStorePassword = trustStorePassword;
    this.ownedFolder = ownedFolder;
  }

  /** Keys a user gives: used as they are, never deleted. */
  public static ClusterTls of(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
    return new ClusterTls(keyStore, keyStorePassword, trustStore, trustStorePassword, null);
  }

  /** Keys made for one run in {@code folder}, which {@link #close} deletes with everything in it. */
  public static ClusterTls owning(Path folder, Path keyStore, String keyStorePassword, Path trustStore,
      String trustStorePassword) {
    return new ClusterTls(keyStore, keyStorePassword, trustStore, trustStorePassword, folder);
  }

  public Path keyStore() {
    return keyStore;
  }

  public String keyStorePassword() {
    return keyStorePassword;
  }

  public Path trustStore() {
    return trustStore;
  }

  public String trustStorePassword() {
    return trustStorePassword;
  }

  /** Pekko's settings for these keys: Artery over TLS, mutual authentication required. */
  Config config() {
    String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.transport", "tls-tcp",
        "pekko.remote.artery.ssl.ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider",
        ssl + "key-store", keyStore.toString(),
        ssl + "key-store-password", keyStorePassword,
        ssl + "key-password", keyStorePassword,
        ssl + "trust-store", trustStore.toString(),
        ssl + "trust-store-password", trustStorePassword,
        ssl + "require-mutual-authentication", "on",
        // peers are known by their keys, not by their names: every JVM of a run holds the same certificate
        ssl + "hostname-verification", "off"));
  }

  /** Deletes the folder of keys made for the run; keys a user gave stay. */
  @Override
  public void close() {
    if (ownedFolder == null || !Files.exists(ownedFolder)) {
      return;
    }
    try (Stream<Path> all = Files.walk(ownedFolder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the run's TLS keys in " + ownedFolder, e);
    }
  }

  /** The stores, never the passwords. */
  @Override
  public String toString() {
    return "TLS keys (key store " + keyStore + ", trust store " + trustStore + ")";
  }
}
