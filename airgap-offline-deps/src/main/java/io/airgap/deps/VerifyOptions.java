package io.airgap.deps;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Bundles#verify} and {@link Bundles#importInto} read a bundle: the age it may have at
 * most, and who is told of progress. The bundle is always verified completely, signature included;
 * nothing here turns a check off. Built with {@link #builder()}, which refuses a null at the call;
 * {@link #defaults()} sets no age limit and tells nothing. Immutable and thread-safe.
 */
public final class VerifyOptions {
  private static final VerifyOptions DEFAULTS = builder().build();

  private final BundleAge age;
  private final Progress progress;

  private VerifyOptions(Builder builder) {
    this.age = builder.age;
    this.progress = builder.progress;
  }

  /** No age limit, no progress. */
  public static VerifyOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** How old a bundle may be, or empty for any age. */
  public Optional<BundleAge> age() {
    return Optional.ofNullable(age);
  }

  /**
   * Refuses {@code bundle}, created at {@code created}, when it is older than {@link #age()}
   * allows; any age passes without one.
   *
   * @throws io.airgap.core.trust.RollbackException naming the creation time, the limit and now
   */
  void checkAge(Instant created, Path bundle) {
    if (age != null) {
      age.check(created, bundle.toString());
    }
  }

  /** Who is told how far the bundle has been read. */
  public Progress progress() {
    return progress;
  }

  /** Collects the options; not thread-safe. */
  public static final class Builder {
    private BundleAge age;
    private Progress progress = Progress.NONE;

    private Builder() {}

    /**
     * Refuses a bundle older than {@code age} allows as soon as its signed statement verified,
     * before its blobs are read (a {@link io.airgap.core.trust.RollbackException}); nothing is
     * imported then, not even into a new store, which no rollback record protects.
     */
    public Builder age(BundleAge age) {
      this.age = Objects.requireNonNull(age, "age must not be null (leave it unset for any age)");
      return this;
    }

    /**
     * Tells {@code progress} how far the bundle has been read; {@link Progress#NONE} by default.
     */
    public Builder progress(Progress progress) {
      this.progress =
          Objects.requireNonNull(
              progress, "progress must not be null (Progress.NONE tells nothing)");
      return this;
    }

    /** The options. */
    public VerifyOptions build() {
      return new VerifyOptions(this);
    }
  }
}
