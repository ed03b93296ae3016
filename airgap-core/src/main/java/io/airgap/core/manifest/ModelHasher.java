package io.airgap.core.manifest;

import io.airgap.core.InputException;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.FileRegion;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.internal.ParallelHasher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes the manifest of a model: lists its files, cuts them into resources (whole files or
 * shards) and hashes them in parallel on a bounded pool.
 *
 * <p>Immutable and thread-safe; each call uses its own pool, closed before it returns.
 */
public final class ModelHasher {
  /** Names every manifest leaves out: top-level Git metadata. */
  public static final Set<String> DEFAULT_IGNORES =
      Set.of(".git", ".gitattributes", ".github", ".gitignore");

  /**
   * The most resources one manifest may have. A tiny shard size on a large model would otherwise
   * ask for billions of regions; real models stay far below this.
   */
  public static final int MAX_RESOURCES = 1_000_000;

  private final SerializationMethod method;
  private final HashAlgorithm hashAlgorithm;
  private final long shardSize;
  private final boolean allowSymlinks;
  private final int parallelism;
  private final int bufferSize;

  private ModelHasher(Builder builder) {
    this.method = builder.method;
    this.hashAlgorithm = builder.hashAlgorithm;
    this.shardSize = builder.shardSize;
    this.allowSymlinks = builder.allowSymlinks;
    this.parallelism = builder.parallelism;
    this.bufferSize = builder.bufferSize;
  }

  /**
   * The model-relative names of filesystem paths, for {@code ignorePaths}: each path is absolute or
   * relative to the working directory (as {@code model_signing} takes {@code --ignore-paths}),
   * links in it resolved; paths outside the model are dropped because they cannot match anything in
   * it.
   */
  public static List<String> relativeNames(Path model, Collection<Path> paths) {
    List<String> names = new ArrayList<>();
    for (Path path : paths) {
      ModelFiles.relativeName(model, path).ifPresent(names::add);
    }
    return names;
  }

  /** A builder with the OMS defaults: files, SHA-256, no symlinks. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that recomputes exactly as {@code serialization} says. */
  public static Builder builder(Serialization serialization) {
    Builder builder =
        builder()
            .method(serialization.method())
            .hashAlgorithm(serialization.hashAlgorithm())
            .allowSymlinks(serialization.allowSymlinks());
    if (serialization.method() == SerializationMethod.SHARDS) {
      builder.shardSize(serialization.shardSize());
    }
    return builder;
  }

  /**
   * Lists and hashes a model.
   *
   * @throws InputException when a file cannot be read, or no file is left to hash
   * @param model a model directory or single file
   * @param ignorePaths relative names to leave out besides {@link #DEFAULT_IGNORES} (the signature
   *     file's name, when it lies inside the model, belongs here)
   */
  public Manifest hash(Path model, Collection<String> ignorePaths) {
    Set<String> ignored = new TreeSet<>(DEFAULT_IGNORES);
    ignored.addAll(ignorePaths);
    List<ModelFile> files = ModelFiles.list(model, ignored, allowSymlinks);
    if (files.isEmpty()) {
      throw new InputException(
          model + " holds no file to sign (after leaving out " + ignored + ")");
    }
    Serialization serialization =
        new Serialization(method, hashAlgorithm, shardSize, allowSymlinks, List.copyOf(ignored));
    return new Manifest(modelName(model), serialization, hash(files));
  }

  /** Hashes already listed files into resources, in the order the method defines. */
  public List<Resource> hash(List<ModelFile> files) {
    checkResourceCount(files);
    List<String> names = new ArrayList<>();
    List<FileRegion> regions = new ArrayList<>();
    for (ModelFile file : files) {
      if (method == SerializationMethod.FILES) {
        names.add(file.name());
        regions.add(FileRegion.whole(file.path(), file.size()));
      } else {
        for (ShardName shard : shards(file.name(), file.size())) {
          names.add(shard.toString());
          regions.add(FileRegion.range(file.path(), shard.start(), shard.end()));
        }
      }
    }
    List<Digest> digests;
    try (ParallelHasher hasher = ParallelHasher.create(parallelism, bufferSize)) {
      digests = hasher.hash(regions, hashAlgorithm, allowSymlinks);
    }
    List<Resource> resources = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      resources.add(new Resource(names.get(i), digests.get(i)));
    }
    return resources;
  }

  private void checkResourceCount(List<ModelFile> files) {
    long count = 0;
    for (ModelFile file : files) {
      count +=
          method == SerializationMethod.FILES ? 1 : Math.max(1, ceilDiv(file.size(), shardSize));
    }
    if (count > MAX_RESOURCES) {
      throw new InputException(
          "the model would have "
              + count
              + " resources, more than the limit of "
              + MAX_RESOURCES
              + (method == SerializationMethod.SHARDS
                  ? "; use a larger shard size than " + shardSize
                  : ""));
    }
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  /** The shards of a file of {@code size} bytes; an empty file has the one shard {@code 0:0}. */
  public List<ShardName> shards(String name, long size) {
    List<ShardName> shards = new ArrayList<>();
    long start = 0;
    do {
      long end = Math.min(size, start + shardSize);
      shards.add(new ShardName(name, start, end));
      start = end;
    } while (start < size);
    return shards;
  }

  /** Files or shards. */
  public SerializationMethod method() {
    return method;
  }

  /** The hash algorithm of every resource. */
  public HashAlgorithm hashAlgorithm() {
    return hashAlgorithm;
  }

  static String modelName(Path model) {
    Path absolute = model.toAbsolutePath().normalize();
    Path fileName = absolute.getFileName();
    return fileName == null ? absolute.toString() : fileName.toString();
  }

  /** Configures a {@link ModelHasher}. Not thread-safe. */
  public static final class Builder {
    private SerializationMethod method = SerializationMethod.FILES;
    private HashAlgorithm hashAlgorithm = HashAlgorithm.SHA256;
    private long shardSize = Serialization.DEFAULT_SHARD_SIZE;
    private boolean allowSymlinks;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private int bufferSize = ParallelHasher.DEFAULT_BUFFER_SIZE;

    private Builder() {}

    /** Files (default) or shards. */
    public Builder method(SerializationMethod method) {
      this.method = java.util.Objects.requireNonNull(method, "method");
      return this;
    }

    /** SHA-256 (default), BLAKE2b or BLAKE3. */
    public Builder hashAlgorithm(HashAlgorithm hashAlgorithm) {
      this.hashAlgorithm = java.util.Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
      return this;
    }

    /** Bytes per shard for the shards method; default 1,000,000,000. */
    public Builder shardSize(long shardSize) {
      if (shardSize <= 0) {
        throw new IllegalArgumentException("shard size must be positive, got " + shardSize);
      }
      this.shardSize = shardSize;
      return this;
    }

    /** Follow symbolic links that stay inside the model; refused by default. */
    public Builder allowSymlinks(boolean allowSymlinks) {
      this.allowSymlinks = allowSymlinks;
      return this;
    }

    /** Threads that hash at once; default one per available processor. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /** Read buffer per thread in bytes; default 1 MiB. */
    public Builder bufferSize(int bufferSize) {
      if (bufferSize < 4096) {
        throw new IllegalArgumentException("buffer size must be at least 4096, got " + bufferSize);
      }
      this.bufferSize = bufferSize;
      return this;
    }

    /** Builds the hasher. */
    public ModelHasher build() {
      return new ModelHasher(this);
    }
  }
}
