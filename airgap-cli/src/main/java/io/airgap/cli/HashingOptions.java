package io.airgap.cli;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.manifest.SerializationMethod;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a model is hashed: the options shared by {@code sign} and {@code digest}. */
final class HashingOptions {
  @Mixin IgnorePathsOption ignorePaths;

  @Option(
      names = "--method",
      defaultValue = "files",
      description = "files (default): one digest per file; shards: per byte range, in parallel.")
  String method;

  @Option(
      names = "--shard-size",
      defaultValue = "1000000000",
      description = "Bytes per shard for --method shards (default ${DEFAULT-VALUE}).")
  long shardSize;

  @Option(
      names = "--hash",
      defaultValue = "sha256",
      description = "sha256 (default), blake2b or blake3.")
  String hash;

  @Option(
      names = "--allow-symlinks",
      description = "Follow symbolic links that stay inside the model.")
  boolean allowSymlinks;

  ModelHasher hasher(CommandSpec spec) {
    if (shardSize <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--shard-size must be positive, got " + shardSize);
    }
    SerializationMethod serialization = Options.method(spec, method);
    ModelHasher.Builder builder =
        ModelHasher.builder()
            .method(serialization)
            .hashAlgorithm(Options.hash(spec, hash))
            .allowSymlinks(allowSymlinks);
    if (serialization == SerializationMethod.SHARDS) {
      builder.shardSize(shardSize);
    }
    return builder.build();
  }

  List<String> ignoredNames(Path model) {
    return ignorePaths.ignoredNames(model);
  }
}
