package io.airgap.deps;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Bundles#create} writes a bundle: where the files come from (the directory {@link
 * Locker} filled, or the repositories to fetch them from again), when it was created, whether it is
 * split into parts and where the whole is written before it is split, and who is told of progress.
 * Built with {@link #builder()}, which refuses a null, a bad value or two settings that conflict at
 * the call that sets them. Immutable and thread-safe.
 */
public final class BundleOptions {
  private final Path files;
  private final List<Repository> repositories;
  private final Instant created;
  private final long partSize;
  private final Path workDirectory;
  private final Progress progress;

  private BundleOptions(Builder builder) {
    this.files = builder.files;
    this.repositories = builder.repositories;
    this.created = builder.created;
    this.partSize = builder.partSize;
    this.workDirectory = builder.workDirectory;
    this.progress = builder.progress;
  }

  /** A builder: set {@link Builder#files} or {@link Builder#repositories}, the rest as needed. */
  public static Builder builder() {
    return new Builder();
  }

  /** The directory holding {@code NAME/PATH} for every locked file, unless fetched again. */
  public Optional<Path> files() {
    return Optional.ofNullable(files);
  }

  /** The repositories every artifact is fetched from again; empty when {@link #files()} is set. */
  public List<Repository> repositories() {
    return repositories;
  }

  /** The creation time the signed statement records, or empty for the time of the call. */
  public Optional<Instant> created() {
    return Optional.ofNullable(created);
  }

  /** The size of each part of a split bundle, or 0 when it is not split. */
  public long partSize() {
    return partSize;
  }

  /** Where the whole bundle is written before it is split, or empty for beside the output. */
  public Optional<Path> workDirectory() {
    return Optional.ofNullable(workDirectory);
  }

  /** Who is told how far the bundle has been written. */
  public Progress progress() {
    return progress;
  }

  /** Collects the options; not thread-safe. */
  public static final class Builder {
    private Path files;
    private List<Repository> repositories = List.of();
    private Instant created;
    private long partSize;
    private Path workDirectory;
    private Progress progress = Progress.NONE;

    private Builder() {}

    /**
     * Takes each file from {@code files/NAME/PATH}, as {@link Locker} leaves them.
     *
     * @throws IllegalStateException when repositories are set: the files come from one place
     */
    public Builder files(Path files) {
      Objects.requireNonNull(files, "files must not be null");
      if (!repositories.isEmpty()) {
        throw new IllegalStateException(
            "files conflicts with repositories: the bundle's files come from one or the other");
      }
      if (this.files != null) {
        throw new IllegalStateException("files is already " + this.files + "; give it once");
      }
      this.files = files;
      return this;
    }

    /**
     * Fetches every artifact again from {@code repositories}, tried in order (see {@link
     * Locker#fetch}), into a scratch directory beside the output (or in the work directory),
     * removed afterwards.
     *
     * @throws IllegalArgumentException when the list is empty or holds a null
     * @throws IllegalStateException when files are set: the files come from one place
     */
    public Builder repositories(List<Repository> repositories) {
      Objects.requireNonNull(repositories, "repositories must not be null");
      if (repositories.isEmpty() || repositories.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException(
            "repositories must name at least one repository, and no null");
      }
      if (files != null) {
        throw new IllegalStateException(
            "repositories conflicts with files: the bundle's files come from one or the other");
      }
      this.repositories = List.copyOf(repositories);
      return this;
    }

    /**
     * Records {@code created} (whole seconds) as the bundle's creation time instead of the time of
     * the call. A store refuses an artifact from a bundle created before the one that brought its
     * current copy, so going back to an older artifact means bundling it again.
     */
    public Builder created(Instant created) {
      this.created = Objects.requireNonNull(created, "created must not be null");
      return this;
    }

    /**
     * Splits the bundle into parts of {@code partSize} bytes named after the output (see {@link
     * BundleParts}); {@link Bundles#create} then returns the first part.
     *
     * @throws IllegalArgumentException when {@code partSize} is not positive
     */
    public Builder splitSize(long partSize) {
      if (partSize < 1) {
        throw new IllegalArgumentException("splitSize must be positive, not " + partSize);
      }
      this.partSize = partSize;
      return this;
    }

    /**
     * With {@link #splitSize}: writes the whole bundle in {@code directory} before it is split, so
     * the output's medium (a FAT32 or small one) needs room for the parts only.
     */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "workDirectory must not be null");
      return this;
    }

    /**
     * Tells {@code progress} how far the bundle has been written; {@link Progress#NONE} by default.
     */
    public Builder progress(Progress progress) {
      this.progress =
          Objects.requireNonNull(
              progress, "progress must not be null (Progress.NONE tells nothing)");
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalStateException when neither files nor repositories are set, or a work
     *     directory is set without a split size
     */
    public BundleOptions build() {
      if (files == null && repositories.isEmpty()) {
        throw new IllegalStateException(
            "set files or repositories: where the bundle's files come from");
      }
      if (workDirectory != null && partSize == 0) {
        throw new IllegalStateException("workDirectory applies only with splitSize");
      }
      return new BundleOptions(this);
    }
  }
}
