package io.mcksim.cli;

import io.mcksim.actors.engine.ClusterTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The TLS keys of a run spread over JVMs, from where a user gives them ({@code --key-store} and
 * {@code --trust-store}, or the environment; passwords from the environment only, never on a command
 * line) or made afresh for a run whose workers this JVM starts itself ({@link WorkerJvms#freshKeys}).
 * Which a run needs is {@link #needed}'s rule: a cluster that reaches beyond this machine's loopback has
 * keys.
 */
final class ClusterKeys {

  /** Environment variable naming the key store, when {@code --key-store} is not given. */
  static final String KEY_STORE = "MCKSIM_KEY_STORE";
  /** Environment variable holding the key store's password (also its key's). */
  static final String KEY_STORE_PASSWORD = "MCKSIM_KEY_STORE_PASSWORD";
  /** Environment variable naming the trust store, when {@code --trust-store} is not given. */
  static final String TRUST_STORE = "MCKSIM_TRUST_STORE";
  /** Environment variable holding the trust store's password. */
  static final String TRUST_STORE_PASSWORD = "MCKSIM_TRUST_STORE_PASSWORD";

  /** Every environment variable the keys are read from. */
  static final List<String> VARIABLES = List.of(KEY_STORE, KEY_STORE_PASSWORD, TRUST_STORE, TRUST_STORE_PASSWORD);

  /** How a refusal says where keys come from. */
  static final String HOW = "give the cluster's keys with --key-store FILE and --trust-store FILE (or "
      + KEY_STORE + " and " + TRUST_STORE + "), their passwords in " + KEY_STORE_PASSWORD + " and "
      + TRUST_STORE_PASSWORD + "; see docs/cluster.md";

  private ClusterKeys() {}

  /**
   * The keys a user gives, checked now (both stores, readable with their passwords, a private key and a
   * certificate in them), or null if none is given.
   */
  static ClusterTls given(Path keyStoreOption, Path trustStoreOption, Map<String, String> env) {
    Store key = Store.of("--key-store", keyStoreOption, KEY_STORE, KEY_STORE_PASSWORD, env);
    Store trust = Store.of("--trust-store", trustStoreOption, TRUST_STORE, TRUST_STORE_PASSWORD, env);
    if (key == null && trust == null) {
      return null;
    }
    if (key == null || trust == null) {
      Store present = key != null ? key : trust;
      throw new IllegalArgumentException(present.name() + ": TLS between the run's JVMs needs both stores; "
          + (key == null ? "add --key-store FILE (or " + KEY_STORE + ")" : "add --trust-store FILE (or "
          + TRUST_STORE + ")"));
    }
    KeyStore keys = key.load();
    try {
      if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
        throw new IllegalArgumentException(key.name() + ": holds no private key; " + HOW);
      }
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias)) {
          keys.getKey(alias, key.password().toCharArray());
        }
      }
      if (trust.load().size() == 0) {
        throw new IllegalArgumentException(trust.name() + ": holds no certificate; " + HOW);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(key.name() + ": its key cannot be read with " + KEY_STORE_PASSWORD
          + " (" + e.getMessage() + "); the key's password must be the store's");
    }
    return ClusterTls.of(key.path(), key.password(), trust.path(), trust.password());
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether a JVM at {@code self}, joining or joined by one at {@code other}, needs keys. */
  static boolean needed(ClusterAddress self, ClusterAddress other) {
    return !self.loopback() || (other != null && !other.loopback());
  }

  /** The environment a worker JVM started here finds the keys in (empty for plain TCP). */
  static Map<String, String> environment(ClusterTls tls) {
    return tls == null ? Map.of() : Map.of(KEY_STORE, tls.keyStore().toString(),
        KEY_STORE_PASSWORD, tls.keyStorePassword(), TRUST_STORE, tls.trustStore().toString(),
        TRUST_STORE_PASSWORD, tls.trustStorePassword());
  }

  /** One store as given: option or environment, with its password from the environment. */
  private record Store(String name, Path path, String password, String passwordVariable) {

    static Store of(String option, Path fromOption, String variable, String passwordVariable,
        Map<String, String> env) {
      String fromEnv = env.get(variable);
      if (fromOption == null && (fromEnv == null || fromEnv.isEmpty())) {
        return null;
      }
      Path path = fromOption != null ? fromOption : Path.of(fromEnv);
      String name = fromOption != null ? option + " " + path : variable + "=" + path;
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new IllegalArgumentException(name + ": " + (Files.exists(path) ? "not a readable file" : "no such file")
            + "; " + HOW);
      }
      String password = env.get(passwordVariable);
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException(name + ": set its password in the environment variable " + passwordVariable
            + " (passwords are never given on the command line)");
      }
      return new Store(name, path, password, passwordVariable);
    }

    KeyStore load() {
      try {
        return KeyStore.getInstance(path.toFile(), password.toCharArray());
      } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": cannot be read as a key store with " + passwordVariable + " ("
            + e.getMessage() + "); it takes a PKCS12 or JKS file and its password");
      }
    }
  }

  /** {@code --key-store} and {@code --trust-store}, for the coordinating JVM and for a worker. */
  static final class Options {

    @picocli.CommandLine.Option(names = "--key-store", paramLabel = "FILE", description = "The run's TLS key "
        + "store (PKCS12 or JKS; default: $" + KEY_STORE + "); its password in $" + KEY_STORE_PASSWORD + ".")
    java.nio.file.Path keyStore;

    @picocli.CommandLine.Option(names = "--trust-store", paramLabel = "FILE", description = "The certificates "
        + "the run's JVMs accept (default: $" + TRUST_STORE + "); its password in $" + TRUST_STORE_PASSWORD + ".")
    java.nio.file.Path trustStore;

    /** The keys these options and the environment give, or null for none. */
    ClusterTls given() {
      return ClusterKeys.given(keyStore, trustStore, System.getenv());
    }
  }
}
