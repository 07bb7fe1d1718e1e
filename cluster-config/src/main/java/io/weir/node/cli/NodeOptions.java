package io.weir.node.cli;

import io.weir.api.WeirException;
import io.weir.node.NodeLauncher;
import io.weir.node.api.Profile;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every command that needs a node shares: where the data lives, which profile and
 * which configuration file. Mixed into commands with {@code @Mixin}.
 */
public final class NodeOptions {
  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data directory (default: $WEIR_DATA_DIR, else weir.data-dir, else ./weir-data).")
  Path dataDir;

  @Option(names = "--node-config", paramLabel = "FILE",
      description = "A HOCON configuration file layered over the profile (default: $WEIR_CONFIG).")
  Path configFile;

  @Option(names = "--profile", paramLabel = "NAME", converter = ProfileConverter.class,
      description = "Configuration profile: embedded (default) or cluster.")
  Profile profile;

  /** The launcher these options describe, with the configuration as the user gave it. */
  public NodeLauncher launcher() {
    NodeLauncher launcher = NodeLauncher.defaults();
    if (dataDir != null) {
      launcher = launcher.withDataDir(dataDir);
    }
    Path file = configFile != null ? configFile
        : System.getenv("WEIR_CONFIG") == null || System.getenv("WEIR_CONFIG").isBlank() ? null
        : Path.of(System.getenv("WEIR_CONFIG"));
    if (file != null) {
      launcher = launcher.withConfigFile(file);
    }
    if (profile != null) {
      launcher = launcher.withProfile(profile);
    }
    return launcher;
  }

  /**
   * Starts the node these options describe for a command that uses it briefly: it deploys no
   * stream job by itself ({@code weir.stream.resume-jobs = off}), so that looking at a data
   * directory never runs the jobs recorded there. {@code weir node} uses {@link #launcher()}
   * instead. The caller closes the node.
   */
  public WeirNode start() {
    return launcher().withConfig("weir.stream.resume-jobs", false).start();
  }

  /** Parses {@code --profile} values. */
  static final class ProfileConverter implements picocli.CommandLine.ITypeConverter<Profile> {
    @Override
    public Profile convert(String value) {
      try {
        return Profile.parse(value);
      } catch (WeirException e) {
        // picocli prints a TypeConversionException's message as is; any other exception it
        // prints with its class name ("cannot convert ... (io.weir.api.WeirException: ...)").
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
