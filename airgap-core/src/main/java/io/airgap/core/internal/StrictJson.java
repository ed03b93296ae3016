package io.airgap.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.airgap.core.FormatException;
import java.io.IOException;
import java.util.Base64;

/**
 * Reads untrusted JSON documents: size and depth limits, duplicate keys rejected, and typed field
 * accessors whose errors name the document and the field. Thread-safe.
 *
 * <p>Not part of the API.
 */
public final class StrictJson {
  /**
   * The most JSON tokens one document may have. A signature bundle has a few dozen; a manifest has
   * about ten per resource, so this allows 100,000 resources while capping the memory a hostile
   * document can make the parser allocate.
   */
  public static final long MAX_TOKENS = 1_000_000;

  /** The most tokens of a small document: a signature bundle has a few dozen. */
  public static final long MAX_SMALL_TOKENS = 10_000;

  private static final ObjectMapper MAPPER = newMapper(MAX_TOKENS);

  /**
   * Few tokens, for envelopes such as a signature bundle, read before anything is authenticated.
   */
  private static final ObjectMapper SMALL_MAPPER = newMapper(MAX_SMALL_TOKENS);

  private StrictJson() {}

  /** A mapper that rejects duplicate keys, trailing tokens, deep nesting and huge documents. */
  public static ObjectMapper newMapper(long maxTokens) {
    JsonFactory factory =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxTokenCount(maxTokens)
                    .maxNumberLength(64)
                    .maxStringLength(64 * 1024 * 1024)
                    .build())
            .build();
    return new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  /**
   * Serializes a tree as two-space indented JSON with {@code "key": value} spacing and a final
   * newline, the layout of {@code model_signing}'s files.
   */
  public static byte[] writePretty(JsonNode node) {
    DefaultPrettyPrinter base =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    base.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    base.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    DefaultPrettyPrinter printer = new CompactEmptyArrays(base);
    try {
      String text = MAPPER.writer(printer).writeValueAsString(node);
      return (text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  /** Writes empty arrays as {@code []}, as Python's JSON writers do, not {@code [ ]}. */
  private static final class CompactEmptyArrays extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    CompactEmptyArrays(DefaultPrettyPrinter base) {
      super(base);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new CompactEmptyArrays(this);
    }

    @Override
    public void writeEndArray(com.fasterxml.jackson.core.JsonGenerator generator, int values)
        throws java.io.IOException {
      if (values == 0) {
        if (!_arrayIndenter.isInline()) {
          --_nesting;
        }
        generator.writeRaw(']');
        return;
      }
      super.writeEndArray(generator, values);
    }
  }

  /** The shared strict mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses a whole document that must be a JSON object.
   *
   * @param where names the document in error messages
   * @throws FormatException when the bytes are not one well-formed JSON object
   */
  public static JsonNode readObject(byte[] bytes, String where) {
    return readObject(MAPPER, bytes, where);
  }

  /**
   * Parses a small document (at most {@link #MAX_SMALL_TOKENS} tokens) that must be a JSON object,
   * so a large hostile file costs little before it is refused.
   */
  public static JsonNode readSmallObject(byte[] bytes, String where) {
    return readObject(SMALL_MAPPER, bytes, where);
  }

  private static JsonNode readObject(ObjectMapper mapper, byte[] bytes, String where) {
    JsonNode node;
    try {
      node = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new FormatException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new FormatException(where + " could not be parsed: " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new FormatException(where + " is empty");
    }
    if (!node.isObject()) {
      throw new FormatException(where + " must be a JSON object, found " + describe(node));
    }
    return node;
  }

  /** The object at {@code field}; an error when absent or of another type. */
  public static JsonNode object(JsonNode parent, String field, String where) {
    return typed(parent, field, JsonNodeType.OBJECT, where);
  }

  /** The array at {@code field}; an error when absent or of another type. */
  public static JsonNode array(JsonNode parent, String field, String where) {
    return typed(parent, field, JsonNodeType.ARRAY, where);
  }

  /** The string at {@code field}; an error when absent or of another type. */
  public static String text(JsonNode parent, String field, String where) {
    return typed(parent, field, JsonNodeType.STRING, where).textValue();
  }

  /** The string at {@code field}, or {@code null} when it is absent or JSON null. */
  public static String optionalText(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    return typed(parent, field, JsonNodeType.STRING, where).textValue();
  }

  /** The boolean at {@code field}, or {@code fallback} when absent. */
  public static boolean optionalBoolean(
      JsonNode parent, String field, boolean fallback, String where) {
    JsonNode node = parent.get(field);
    if (node == null) {
      return fallback;
    }
    return typed(parent, field, JsonNodeType.BOOLEAN, where).booleanValue();
  }

  /**
   * The positive integer at {@code field}; an integral double such as {@code 1000000000.0} (as
   * protobuf's JSON writes Struct numbers) is accepted.
   */
  public static long positiveInteger(JsonNode parent, String field, String where) {
    JsonNode node = typed(parent, field, JsonNodeType.NUMBER, where);
    try {
      long value = node.decimalValue().longValueExact();
      if (value > 0) {
        return value;
      }
    } catch (ArithmeticException e) {
      // falls through to the error below
    }
    throw new FormatException(
        where + ": '" + field + "' must be a positive integer, found " + node.asText());
  }

  /** Decodes standard (or, as protobuf's JSON allows, URL-safe) base64 at {@code field}. */
  public static byte[] base64(JsonNode parent, String field, String where) {
    String text = text(parent, field, where);
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException standard) {
      try {
        return Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException urlSafe) {
        throw new FormatException(
            where + ": '" + field + "' is not base64 (" + standard.getMessage() + ")");
      }
    }
  }

  /**
   * Refuses fields other than {@code allowed}: a document with a field this version does not know
   * may mean something this verifier would silently ignore.
   */
  public static void requireOnly(JsonNode node, java.util.Set<String> allowed, String where) {
    java.util.Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new FormatException(
            where
                + ": unknown field '"
                + io.airgap.core.internal.ResourceNames.printable(name)
                + "'");
      }
    }
  }

  /** The ISO-8601 instant at {@code field}, for example {@code 2027-01-01T00:00:00Z}. */
  public static java.time.Instant instant(JsonNode parent, String field, String where) {
    String text = text(parent, field, where);
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new FormatException(
          where + ": '" + field + "' is not an ISO-8601 instant such as 2027-01-01T00:00:00Z");
    }
  }

  /** The integer at {@code field}; an error when absent, fractional or out of range. */
  public static long integer(JsonNode parent, String field, String where) {
    JsonNode node = typed(parent, field, JsonNodeType.NUMBER, where);
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw new FormatException(
          where + ": '" + field + "' must be an integer, found " + node.asText());
    }
    return node.asLong();
  }

  private static JsonNode typed(JsonNode parent, String field, JsonNodeType type, String where) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw new FormatException(where + ": missing '" + field + "'");
    }
    if (node.getNodeType() != type) {
      throw new FormatException(
          where
              + ": '"
              + field
              + "' must be "
              + type.name().toLowerCase(java.util.Locale.ROOT)
              + ", found "
              + describe(node));
    }
    return node;
  }

  private static String describe(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
