package io.airgap.deps;

/**
 * Told how far a long operation (a bundle written, verified or imported) has got, in bytes. The
 * command line shows it on a terminal; {@link #NONE} ignores it. Calls never overlap, but {@link
 * #advance} may come from the operation's worker threads (bundle creation writes on several), so an
 * implementation must not rely on the calling thread.
 */
public interface Progress {
  /** Ignores everything. */
  Progress NONE =
      new Progress() {
        @Override
        public void start(String what, long totalBytes) {}

        @Override
        public void advance(long bytes) {}

        @Override
        public void finish() {}
      };

  /** The operation begins; {@code totalBytes} is what it will process. */
  void start(String what, long totalBytes);

  /** {@code bytes} more were processed. */
  void advance(long bytes);

  /** The operation ended (done or failed). */
  void finish();

  /**
   * Something the user should know while nothing advances, for example that the operation waits for
   * another writer of the content store. Ignored unless overridden.
   */
  default void note(String message) {}
}
