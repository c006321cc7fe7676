package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/**
 * A validated scenario: the effective configuration (defaults, file, overrides) and its typed sections,
 * read once.
 */
public record Scenario(Config config, RunSettings run, PholdSettings phold) {

  /** The effective configuration as HOCON, with each key's origin as a comment. */
  public String render() {
    return config.root().render(ConfigRenderOptions.defaults().setOriginComments(true).setJson(false));
  }
}
