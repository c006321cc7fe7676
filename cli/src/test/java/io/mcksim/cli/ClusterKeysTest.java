package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.ClusterTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of a run spread over JVMs: keys made for a run live in a folder only this user may read,
 * are what a user could give, and are gone once the run closes them; keys a user gives are checked
 * before anything starts (both stores, their passwords, a key in the key store). And the worker heap's
 * size and range.
 */
class ClusterKeysTest {

  private static Map<String, String> environment(ClusterTls keys, String keyPassword) {
    return Map.of(ClusterKeys.KEY_STORE_PASSWORD, keyPassword,
        ClusterKeys.TRUST_STORE_PASSWORD, keys.trustStorePassword());
  }

  @Test
  void keysMadeForARunArePrivateUsableAndDeletedWhenTheRunIsOver() throws Exception {
    ClusterTls keys = WorkerJvms.freshKeys();
    Path folder = keys.keyStore().getParent();
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
      try (var files = Files.list(folder)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly("key-store.p12", "trust-store.p12");
      }
      for (Path store : new Path[] {keys.keyStore(), keys.trustStore()}) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
      }
      ClusterTls given = ClusterKeys.given(keys.keyStore(), keys.trustStore(),
          environment(keys, keys.keyStorePassword()));
      assertThat(given.keyStore()).isEqualTo(keys.keyStore());
      assertThat(given.toString()).doesNotContain(keys.keyStorePassword());
      // keys a user gives are never deleted
      given.close();
      assertThat(keys.keyStore()).exists();

      assertThatThrownBy(() -> ClusterKeys.given(keys.keyStore(), keys.trustStore(), environment(keys, "wrong")))
          .hasMessageStartingWith("--key-store " + keys.keyStore() + ": cannot be read as a key store with "
              + ClusterKeys.KEY_STORE_PASSWORD);
      assertThatThrownBy(() -> ClusterKeys.given(keys.keyStore(), null, environment(keys, keys.keyStorePassword())))
          .hasMessageContaining("needs both stores; add --trust-store FILE");
      // a trust store holds certificates, not the key a JVM presents
      assertThatThrownBy(() -> ClusterKeys.given(keys.trustStore(), keys.trustStore(),
          environment(keys, keys.trustStorePassword())))
          .hasMessageContaining(": holds no private key");
      // the environment names the stores when the options do not
      assertThat(ClusterKeys.given(null, null, Map.of(ClusterKeys.KEY_STORE, keys.keyStore().toString(),
          ClusterKeys.KEY_STORE_PASSWORD, keys.keyStorePassword(), ClusterKeys.TRUST_STORE, keys.trustStore().toString(),
          ClusterKeys.TRUST_STORE_PASSWORD, keys.trustStorePassword())).trustStore()).isEqualTo(keys.trustStore());
      assertThat(ClusterKeys.given(null, null, Map.of())).isNull();
    } finally {
      keys.close();
    }
    assertThat(folder).doesNotExist();
  }

  @Test
  void aStoreThatIsNotOneOrHasNoPasswordIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("key.p12"), "not a key store");
    assertThatThrownBy(() -> ClusterKeys.given(text, text, Map.of()))
        .hasMessage("--key-store " + text + ": set its password in the environment variable "
            + ClusterKeys.KEY_STORE_PASSWORD + " (passwords are never given on the command line)");
    assertThatThrownBy(() -> ClusterKeys.given(text, text, Map.of(ClusterKeys.KEY_STORE_PASSWORD, "x",
        ClusterKeys.TRUST_STORE_PASSWORD, "y")))
        .hasMessageContaining("cannot be read as a key store");
    assertThatThrownBy(() -> ClusterKeys.given(dir, dir, Map.of()))
        .hasMessageStartingWith("--key-store " + dir + ": not a readable file");
  }

  @Test
  void workerHeapSizesReadAsJavaReadsThemWithinTheirRange() {
    assertThat(ClusterOptions.heapBytes("768m")).isEqualTo(768L << 20);
    assertThat(ClusterOptions.heapBytes("4G")).isEqualTo(4L << 30);
    assertThat(ClusterOptions.heapBytes("16t")).isEqualTo(16L << 40);
    assertThat(ClusterOptions.heapBytes("67108864")).isEqualTo(64L << 20);
    for (String bad : new String[] {"17t", "63m", "0", "999999999999t", "-1g"}) {
      assertThatThrownBy(() -> ClusterOptions.heapBytes(bad)).as(bad).hasMessageStartingWith("--worker-heap " + bad);
    }
  }
}
