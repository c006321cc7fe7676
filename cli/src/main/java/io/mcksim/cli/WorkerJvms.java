package io.mcksim.cli;

import io.mcksim.actors.engine.ClusterEngine;
import io.mcksim.actors.engine.ClusterTls;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.phold.Phold;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.machine.bsp.BspSetup;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every worker JVM needs: how it is started on this machine (with keys made for its run when the
 * run reaches beyond loopback), and how it builds its model.
 */
public final class WorkerJvms {

  private WorkerJvms() {}

  /**
   * Starts {@code workers} worker JVMs on this machine once the coordinating JVM listens: this JVM's
   * java, class path and flags (no heap size, agent or recording of its own), a heap of {@code heap}
   * each ("4g"), standard output discarded, errors on this JVM's, and standard input a pipe whose end
   * tells a worker that this JVM is gone. The run's TLS keys, if it has any, reach each worker in its
   * environment, never on its command line.
   */
  public static ClusterEngine.Launcher onThisMachine(int workers, String host, String heap) {
    return (hostPort, tls) -> {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!arg.startsWith("-Xmx") && !arg.startsWith("-Xms") && !arg.startsWith("-agentlib")
            && !arg.startsWith("-javaagent") && !arg.startsWith("-XX:StartFlightRecording")
            && !arg.startsWith("-Xlog")) {
          command.add(arg);
        }
      }
      command.add("-Xmx" + heap);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Mcksim.class.getName());
      command.addAll(List.of("worker", "--join", hostPort, "--host", host, "--exit-with-parent"));
      List<Process> started = new ArrayList<>();
      try {
        for (int i = 0; i < workers; i++) {
          ProcessBuilder worker = new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT);
          // the keys are the run's own: none the user's environment holds, exactly these if the run has any
          worker.environment().keySet().removeAll(ClusterKeys.VARIABLES);
          worker.environment().putAll(ClusterKeys.environment(tls));
          started.add(worker.start());
        }
      } catch (IOException e) {
        started.forEach(Process::destroyForcibly);
        throw new IllegalStateException("cannot start a worker JVM (" + command.get(0) + "): " + e.getMessage(), e);
      }
      return started;
    };
  }

  /**
   * A fresh self-signed key pair for one run, made with the JDK's keytool in a new folder only this
   * user may read; the trust store holds its certificate alone, so the run's JVMs accept each other and
   * nobody else. {@link ClusterTls#close} deletes the folder.
   */
  public static ClusterTls freshKeys() {
    ClusterTls tls;
    try {
      Path folder = Files.createTempDirectory("mcksim-keys-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      tls = ClusterTls.owning(folder, folder.resolve("key-store.p12"), password, folder.resolve("trust-store.p12"),
          password);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot make a private folder for this run's TLS keys: " + e.getMessage()
          + "; or make them yourself and " + ClusterKeys.HOW, e);
    }
    try {
      make(tls);
      return tls;
    } catch (IOException | GeneralSecurityException e) {
      tls.close();
      throw new IllegalStateException("cannot make this run's TLS keys: " + e.getMessage()
          + "; or make them yourself and " + ClusterKeys.HOW, e);
    }
  }

  private static void make(ClusterTls tls) throws IOException, GeneralSecurityException {
    char[] password = tls.keyStorePassword().toCharArray();
    keytool(tls.keyStore().getParent(), tls.keyStorePassword(), List.of("-genkeypair", "-alias", "mcksim-run", "-keyalg", "EC",
        "-groupname", "secp256r1", "-validity", "3650", "-dname", "CN=mcksim run", "-storetype", "PKCS12",
        "-keystore", tls.keyStore().toString(), "-storepass:env", "MCKSIM_KEYTOOL_PASSWORD",
        "-keypass:env", "MCKSIM_KEYTOOL_PASSWORD"));
    Certificate certificate = KeyStore.getInstance(tls.keyStore().toFile(), password).getCertificate("mcksim-run");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("mcksim-run", certificate);
    try (var out = Files.newOutputStream(tls.trustStore())) {
      trust.store(out, password);
    }
    for (Path p : List.of(tls.keyStore(), tls.trustStore())) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** Runs the JDK's keytool, its password in its environment, its output in a file beside the keys. */
  private static void keytool(Path folder, String password, List<String> args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(args);
    Path said = folder.resolve("keytool.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(said.toFile());
    builder.environment().put("MCKSIM_KEYTOOL_PASSWORD", password);
    Process p = builder.start();
    try {
      // a guard only: keytool makes one key pair in about a second
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(keytool + " did not finish");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + keytool + " made the keys", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(keytool + " failed (exit " + p.exitValue() + "): " + Files.readString(said).strip());
    }
    Files.delete(said);
  }

  /** The run's model, from the scenario text the coordinating JVM sent (bsp, phold or programs). */
  public static SimModel model(String scenario) {
    Scenario s = new ScenarioLoader().loadText(scenario, "the scenario sent by the coordinating JVM");
    return switch (s.workload().type()) {
      case "bsp" -> BspSetup.application(s);
      case "phold" -> new Phold(PholdRun.params(s));
      case "programs" -> ProgramsRun.model(s);
      default -> throw new IllegalArgumentException("workload.type = " + s.workload().type()
          + " does not run over worker JVMs");
    };
  }
}
