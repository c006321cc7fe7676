package io.mcksim.config;

import java.util.Set;

/** Reads the operating system of the nodes ({@code os}) and the other HPC OS designs ({@code os.models}). */
final class OsSchema {

  private OsSchema() {}

  /** @param noiseNames the noise profiles a model's noise may name, built-in and the scenario's own */
  static OsSettings read(ConfigReader r, Set<String> noiseNames) {
    OsModels models = models(r, noiseNames);
    return new OsSettings(
        r.oneOf("os.model", OsSettings.MODELS),
        r.string("os.image"),
        r.string("os.kargs"),
        r.intIn("os.max-instances", 1, 64),
        r.oneOf("os.linux-noise", noiseNames),
        models);
  }

  private static OsModels models(ConfigReader r, Set<String> noiseNames) {
    return new OsModels(
        new OsModels.Mos(r.duration("os.models.mos.migrate", 0), r.strings("os.models.mos.local")),
        new OsModels.Hobbes(r.duration("os.models.hobbes.remote-call", 0), r.strings("os.models.hobbes.remote"),
            r.strings("os.models.hobbes.local"), r.duration("os.models.hobbes.enosys", 0)),
        new OsModels.Argo(r.oneOf("os.models.argo.noise", noiseNames)),
        new OsModels.L4linux(r.duration("os.models.l4linux.ipc", 1), r.oneOf("os.models.l4linux.noise", noiseNames)));
  }
}
