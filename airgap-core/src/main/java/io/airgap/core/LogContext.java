package io.airgap.core;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * The SLF4J MDC keys airgap sets while it verifies a model or runs one, so a site's log pipeline
 * can index every line logged meanwhile (by airgap, by ONNX Runtime's Java side, or by the host's
 * own listeners) by model and request. Closing the context puts back whatever the keys held before,
 * so contexts nest and a host's own values survive. Not thread-safe: open and close it on one
 * thread, in a try-with-resources block.
 *
 * <table>
 *   <caption>MDC keys</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@value #MODEL}</td><td>the model name from its signature</td></tr>
 *   <tr><td>{@value #MODEL_DIGEST}</td><td>its root digest, {@code sha256:HEX}</td></tr>
 *   <tr><td>{@value #REQUEST}</td><td>the host's request id when it set one on the calling
 *       thread, else 16 random hex digits per run (per batch under a dynamic batcher, whose worker
 *       thread runs the requests of several callers)</td></tr>
 * </table>
 */
public final class LogContext implements AutoCloseable {
  /** MDC key of the model name. */
  public static final String MODEL = "airgap.model";

  /** MDC key of the model's root digest. */
  public static final String MODEL_DIGEST = "airgap.model.digest";

  /** MDC key of the request id; a host may set it before calling airgap to use its own. */
  public static final String REQUEST = "airgap.request";

  private final String previousModel;
  private final String previousDigest;
  private final String previousRequest;
  private final boolean setsRequest;

  private LogContext(String model, String digest, boolean withRequest) {
    previousModel = MDC.get(MODEL);
    previousDigest = MDC.get(MODEL_DIGEST);
    previousRequest = MDC.get(REQUEST);
    setsRequest = withRequest && previousRequest == null;
    if (model != null) {
      MDC.put(MODEL, model);
    }
    if (digest != null) {
      MDC.put(MODEL_DIGEST, digest);
    }
    if (setsRequest) {
      MDC.put(REQUEST, newRequestId());
    }
  }

  /**
   * Sets the model keys (verification, loading); the request key is left as it is, and so is a key
   * whose value is null here.
   */
  public static LogContext model(String name, String digest) {
    return new LogContext(name, digest, false);
  }

  /** Sets the model keys and, unless the host already set one, a fresh request id (a run). */
  public static LogContext request(String name, String digest) {
    return new LogContext(name, digest, true);
  }

  /**
   * A request id: 64 random bits as 16 hex digits. Unique enough to tell runs apart in a log index;
   * not a secret (the generator is not cryptographic).
   */
  public static String newRequestId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** Puts back what the keys held before this context. */
  @Override
  public void close() {
    put(MODEL, previousModel);
    put(MODEL_DIGEST, previousDigest);
    if (setsRequest) {
      MDC.remove(REQUEST);
    }
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
