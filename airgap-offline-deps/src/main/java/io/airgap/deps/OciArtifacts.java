package io.airgap.deps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One artifact as an OCI artifact manifest (image-spec 1.1): the empty config, {@code artifactType}
 * {@value #ARTIFACT_TYPE}, one layer per file with its relative path in the {@value #TITLE}
 * annotation, and the artifact's name, kind and source in manifest annotations. Written
 * deterministically, so the same artifact has the same manifest digest everywhere.
 */
final class OciArtifacts {
  /** The manifest media type. */
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  /** The index media type. */
  static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";

  /** The artifact type of every airgap artifact. */
  static final String ARTIFACT_TYPE = "application/vnd.airgap.artifact.v1";

  /** The media type of a file layer. */
  static final String FILE_TYPE = "application/octet-stream";

  /** OCI's empty descriptor: the two bytes {@code {}}. */
  static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";

  static final String EMPTY_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  /** The hex digest of the empty config blob. */
  static final String EMPTY_HEX = EMPTY_DIGEST.substring("sha256:".length());

  /**
   * The empty config blob's bytes: {@code {}}. Layouts carry it as a blob too (skopeo reads it).
   */
  static final byte[] EMPTY_BLOB = {'{', '}'};

  /** The layer annotation holding a file's relative path. */
  static final String TITLE = "org.opencontainers.image.title";

  /** The {@code oci-layout} file every bundle and store holds. */
  static final String LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  /**
   * The store index annotation recording when the bundle that brought an artifact in was created.
   */
  static final String BUNDLE_CREATED = "io.airgap.bundle.created";

  /**
   * The store index annotation naming the blob that holds the signed DSSE envelope of the bundle
   * that brought an artifact in ({@code sha256:...}): the evidence of who vouched for it.
   */
  static final String BUNDLE_SIGNATURE = "io.airgap.bundle.signature";

  static final String NAME = "io.airgap.artifact.name";
  static final String KIND = "io.airgap.artifact.kind";
  static final String SOURCE = "io.airgap.artifact.source";

  private OciArtifacts() {}

  /** The manifest bytes of an artifact. */
  static byte[] manifest(LockedArtifact artifact) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", 2).put("mediaType", MANIFEST_TYPE).put("artifactType", ARTIFACT_TYPE);
    root.putObject("config")
        .put("mediaType", EMPTY_TYPE)
        .put("digest", EMPTY_DIGEST)
        .put("size", 2)
        .put("data", "e30=");
    ArrayNode layers = root.putArray("layers");
    for (LockedFile file : artifact.files()) {
      ObjectNode layer = layers.addObject();
      layer
          .put("mediaType", FILE_TYPE)
          .put("digest", "sha256:" + file.sha256())
          .put("size", file.size());
      layer.putObject("annotations").put(TITLE, file.path());
    }
    ObjectNode annotations = root.putObject("annotations");
    annotations
        .put(KIND, artifact.kind().label())
        .put(NAME, artifact.name())
        .put(SOURCE, sourceJson(artifact.source()));
    return compact(root);
  }

  private static String sourceJson(ArtifactSource source) {
    ObjectNode node = StrictJson.mapper().createObjectNode();
    node.put("type", source.type());
    source.coordinates().forEach(node::put);
    return new String(compact(node), StandardCharsets.UTF_8);
  }

  static byte[] compact(JsonNode node) {
    try {
      return StrictJson.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize JSON", e);
    }
  }

  /**
   * Reads an artifact back from its manifest.
   *
   * @throws FormatException naming {@code where} when it is not an airgap artifact manifest
   */
  static LockedArtifact parse(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    if (root.path("schemaVersion").asInt() != 2
        || !MANIFEST_TYPE.equals(root.path("mediaType").asText())
        || !ARTIFACT_TYPE.equals(root.path("artifactType").asText())) {
      throw new FormatException(
          where + ": not an airgap artifact manifest (" + ARTIFACT_TYPE + ")");
    }
    JsonNode annotations = StrictJson.object(root, "annotations", where);
    String name = StrictJson.text(annotations, NAME, where);
    ArtifactKind kind = ArtifactKind.fromLabel(StrictJson.text(annotations, KIND, where), where);
    ArtifactSource source =
        DependencySpec.source(
            StrictJson.readSmallObject(
                StrictJson.text(annotations, SOURCE, where).getBytes(StandardCharsets.UTF_8),
                where + " source"),
            where);
    List<LockedFile> files = new ArrayList<>();
    JsonNode layers = StrictJson.array(root, "layers", where);
    for (int i = 0; i < layers.size(); i++) {
      JsonNode layer = layers.get(i);
      String at = where + " layers[" + i + "]";
      String digest = StrictJson.text(layer, "digest", at);
      if (!digest.matches("sha256:[0-9a-f]{64}")) {
        throw new FormatException(at + ": digest " + digest + " is not sha256:<64 hex>");
      }
      files.add(
          new LockedFile(
              StrictJson.text(StrictJson.object(layer, "annotations", at), TITLE, at),
              StrictJson.integer(layer, "size", at),
              digest.substring("sha256:".length())));
    }
    return new LockedArtifact(name, kind, source, files);
  }

  /** The index document listing manifests, each with its name annotation, sorted by name. */
  static byte[] index(Map<String, Descriptor> manifests) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", 2).put("mediaType", INDEX_TYPE);
    ArrayNode array = root.putArray("manifests");
    new java.util.TreeMap<>(manifests)
        .forEach(
            (name, d) -> {
              ObjectNode node = array.addObject();
              node.put("mediaType", MANIFEST_TYPE)
                  .put("artifactType", ARTIFACT_TYPE)
                  .put("digest", d.digest())
                  .put("size", d.size());
              ObjectNode annotations = node.putObject("annotations");
              annotations.put("org.opencontainers.image.ref.name", name);
              if (d.provenance() != null) {
                annotations.put(BUNDLE_CREATED, d.provenance().created().toString());
                annotations.put(BUNDLE_SIGNATURE, d.provenance().signature());
              }
            });
    return StrictJson.writePretty(root);
  }

  /**
   * Checks an {@code oci-layout} file: exactly the bytes {@value #LAYOUT}, as bundles and stores
   * are written.
   *
   * @throws FormatException naming {@code where} otherwise
   */
  static void checkLayout(byte[] json, String where) {
    if (!java.util.Arrays.equals(json, LAYOUT.getBytes(StandardCharsets.UTF_8))) {
      throw new FormatException(where + ": is not exactly " + LAYOUT + " (OCI image layout 1.0.0)");
    }
  }

  /**
   * Checks that an index is byte for byte what {@link #index(Map)} writes for {@code parsed}, the
   * result of {@link #parseIndex}: no other field, order or whitespace. A bundle's index is not
   * signed (the statement names the same manifests), so anything else in it would travel
   * unverified.
   *
   * @throws IntegrityException naming {@code where} otherwise
   */
  static void checkExactIndex(byte[] json, Map<String, Descriptor> parsed, String where) {
    if (!java.util.Arrays.equals(json, index(parsed))) {
      throw new IntegrityException(
          where
              + ": holds fields, values, an order or whitespace other than the index of its"
              + " manifests (unsigned content is refused)");
    }
  }

  /** Reads an index: artifact name to manifest descriptor. */
  static Map<String, Descriptor> parseIndex(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    if (root.path("schemaVersion").asInt() != 2) {
      throw new FormatException(where + ": not an OCI image index (schemaVersion 2)");
    }
    Map<String, Descriptor> manifests = new LinkedHashMap<>();
    JsonNode array = StrictJson.array(root, "manifests", where);
    for (int i = 0; i < array.size(); i++) {
      JsonNode node = array.get(i);
      String at = where + " manifests[" + i + "]";
      JsonNode annotations = StrictJson.object(node, "annotations", at);
      String name = StrictJson.text(annotations, "org.opencontainers.image.ref.name", at);
      Provenance provenance = provenance(annotations, at);
      String digest = StrictJson.text(node, "digest", at);
      if (!digest.matches("sha256:[0-9a-f]{64}")) {
        throw new FormatException(at + ": digest " + digest + " is not sha256:<64 hex>");
      }
      if (manifests.put(
              name, new Descriptor(digest, StrictJson.integer(node, "size", at), provenance))
          != null) {
        throw new FormatException(at + ": artifact " + name + " is listed twice");
      }
    }
    return manifests;
  }

  /** The provenance annotations of a store index entry: both or neither. */
  private static Provenance provenance(JsonNode annotations, String at) {
    boolean created = annotations.has(BUNDLE_CREATED);
    if (created != annotations.has(BUNDLE_SIGNATURE)) {
      throw new FormatException(
          at + ": " + BUNDLE_CREATED + " and " + BUNDLE_SIGNATURE + " come together or not at all");
    }
    if (!created) {
      return null;
    }
    String signature = StrictJson.text(annotations, BUNDLE_SIGNATURE, at);
    if (!signature.matches("sha256:[0-9a-f]{64}")) {
      throw new FormatException(
          at + ": " + BUNDLE_SIGNATURE + " " + signature + " is not sha256:<64 hex>");
    }
    return new Provenance(StrictJson.instant(annotations, BUNDLE_CREATED, at), signature);
  }

  /**
   * Where a stored artifact came from: the bundle that brought it in.
   *
   * @param created when that bundle was created, as its signed statement says
   * @param signature the digest ({@code sha256:...}) of the blob holding its signed envelope
   */
  record Provenance(Instant created, String signature) {
    String signatureHex() {
      return signature.substring("sha256:".length());
    }
  }

  /**
   * A manifest's descriptor in an index.
   *
   * @param digest {@code sha256:...}
   * @param size bytes
   * @param provenance in a store's index, the bundle that imported the artifact; null in a bundle's
   *     index and for artifacts added without a bundle
   */
  record Descriptor(String digest, long size, Provenance provenance) {
    /** A descriptor without provenance. */
    Descriptor(String digest, long size) {
      this(digest, size, null);
    }

    String hex() {
      return digest.substring("sha256:".length());
    }

    /** This descriptor, recording the bundle that brought it. */
    Descriptor importedFrom(Provenance bundle) {
      return new Descriptor(digest, size, bundle);
    }
  }
}
