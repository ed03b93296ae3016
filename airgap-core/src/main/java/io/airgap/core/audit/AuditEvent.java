package io.airgap.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One audited action: who did what to which subject, when, with what outcome, plus free attributes.
 * Immutable. Build one with {@link #builder(String)}:
 *
 * <pre>{@code
 * AuditEvent event = AuditEvent.builder("model.replace")
 *     .actor("svc-scoring").subject("fraud/detector@sha256:...").outcome("success")
 *     .attribute("previous", "sha256:...").build();
 * }</pre>
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

  /** The outcome of an action that was done. */
  public static final String SUCCESS = "success";

  private static final Set<String> FIELDS =
      Set.of("action", "actor", "attributes", "outcome", "subject", "timestamp");

  /** A builder for an event of this {@code action}, for example {@code model.load}. */
  public static Builder builder(String action) {
    return new Builder(action);
  }

  /**
   * Reads an entry as an audit log stores it (the bytes of {@link #canonicalJson()}).
   *
   * @param where names the entry in error messages, for example {@code "entry 17"}
   * @throws FormatException when the bytes are not an audit event: not JSON, a field missing or of
   *     the wrong type, an unknown field, a timestamp that is not ISO-8601
   */
  public static AuditEvent parse(byte[] canonicalJson, String where) {
    JsonNode root = StrictJson.readObject(canonicalJson, where);
    StrictJson.requireOnly(root, FIELDS, where);
    JsonNode attributeNode = StrictJson.object(root, "attributes", where);
    Map<String, String> attributes = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = attributeNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> attribute = it.next();
      if (!attribute.getValue().isTextual()) {
        throw new FormatException(where + ": attribute " + attribute.getKey() + " is not a string");
      }
      attributes.put(attribute.getKey(), attribute.getValue().textValue());
    }
    String timestamp = StrictJson.text(root, "timestamp", where);
    Instant time;
    try {
      time = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw new FormatException(where + ": timestamp is not an ISO-8601 instant: " + timestamp);
    }
    return new AuditEvent(
        time,
        StrictJson.text(root, "actor", where),
        StrictJson.text(root, "action", where),
        StrictJson.text(root, "subject", where),
        StrictJson.text(root, "outcome", where),
        attributes);
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

  /**
   * Builds an {@link AuditEvent}. The action is given up front; actor and subject are required; the
   * timestamp defaults to the time of {@link #build()} and the outcome to {@value #SUCCESS}. Not
   * thread-safe.
   */
  public static final class Builder {
    private final String action;
    private final Map<String, String> attributes = new TreeMap<>();
    private Instant timestamp;
    private String actor;
    private String subject;
    private String outcome = SUCCESS;

    private Builder(String action) {
      this.action = nonEmpty(action, "action");
    }

    /** When it happened (default: now, by the system clock, at {@link #build()}). */
    public Builder timestamp(Instant timestamp) {
      Objects.requireNonNull(timestamp, "timestamp");
      once(this.timestamp, "timestamp");
      this.timestamp = timestamp;
      return this;
    }

    /** Who did it: a user, a service account, a host. */
    public Builder actor(String actor) {
      nonEmpty(actor, "actor");
      once(this.actor, "actor");
      this.actor = actor;
      return this;
    }

    /** What it was done to, for example {@code fraud/detector@sha256:...}. */
    public Builder subject(String subject) {
      nonEmpty(subject, "subject");
      once(this.subject, "subject");
      this.subject = subject;
      return this;
    }

    /** How it ended, for example {@code success} (the default) or {@code refused}. */
    public Builder outcome(String outcome) {
      this.outcome = nonEmpty(outcome, "outcome");
      return this;
    }

    /** Adds an attribute; naming one twice is refused. */
    public Builder attribute(String name, String value) {
      nonEmpty(name, "attribute name");
      Objects.requireNonNull(value, "value of attribute " + name);
      if (attributes.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("attribute " + name + " is set twice");
      }
      return this;
    }

    /** Adds every attribute of {@code more}; as {@link #attribute} for each. */
    public Builder attributes(Map<String, String> more) {
      more.forEach(this::attribute);
      return this;
    }

    /**
     * The event.
     *
     * @throws IllegalStateException when the actor or the subject was not set
     */
    public AuditEvent build() {
      if (actor == null || subject == null) {
        throw new IllegalStateException(
            "audit event " + action + " needs " + (actor == null ? "an actor" : "a subject"));
      }
      return new AuditEvent(
          timestamp != null ? timestamp : Instant.now(),
          actor,
          action,
          subject,
          outcome,
          attributes);
    }

    private static void once(Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " is already set to " + current + "; give it once");
      }
    }

    private static String nonEmpty(String value, String what) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be null or empty");
      }
      return value;
    }
  }
}
