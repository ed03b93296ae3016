package io.airgap.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One audited action: who did what to which subject, when, with what outcome, plus free attributes.
 * Immutable.
 *
 * <p>{@link #canonicalJson()} is the exact entry an audit log stores and hashes: JSON with keys
 * sorted by UTF-16 code units (as RFC 8785 sorts them), no insignificant whitespace, UTF-8, at most
 * {@value #MAX_BYTES} bytes.
 *
 * @param timestamp when it happened
 * @param actor who did it (a user, a service account, a host)
 * @param action what was done, for example {@code model.load}
 * @param subject what it was done to, for example {@code fraud/detector@sha256:...}
 * @param outcome how it ended, for example {@code success} or {@code refused}
 * @param attributes anything else worth recording, by name
 */
public record AuditEvent(
    Instant timestamp,
    String actor,
    String action,
    String subject,
    String outcome,
    Map<String, String> attributes) {
  /** The largest canonical encoding an entry may have, in bytes (a two-byte length prefix). */
  public static final int MAX_BYTES = 65_535;

  /** Checks every field is present and copies the attributes, sorted. */
  public AuditEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(outcome, "outcome");
    attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /**
   * The canonical JSON encoding.
   *
   * @throws FormatException when it exceeds {@value #MAX_BYTES} bytes or a string is not valid
   *     Unicode (an unpaired surrogate has no UTF-8 encoding)
   */
  public byte[] canonicalJson() {
    // Keys are inserted in sorted order; nested attributes come sorted from the TreeMap.
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("action", checked(action, "action"));
    root.put("actor", checked(actor, "actor"));
    ObjectNode attributeNode = root.putObject("attributes");
    attributes.forEach(
        (key, value) -> attributeNode.put(checked(key, "attribute name"), checked(value, key)));
    root.put("outcome", checked(outcome, "outcome"));
    root.put("subject", checked(subject, "subject"));
    root.put("timestamp", timestamp.toString());
    byte[] bytes;
    try {
      bytes = StrictJson.mapper().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an audit event", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new FormatException(
          "audit event "
              + action
              + " is "
              + bytes.length
              + " bytes encoded, more than the limit of "
              + MAX_BYTES);
    }
    return bytes;
  }

  private static String checked(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new FormatException(
            "audit event field " + field + " is not valid Unicode (unpaired surrogate)");
      }
    }
    return value;
  }
}
