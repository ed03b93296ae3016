package io.airgap.deps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.internal.ResourceNames;
import io.airgap.core.internal.StrictJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code airgap.lock.json}: every artifact a deployment needs, each with its kind, source
 * coordinates, and every file's relative path, size and SHA-256. Written canonically (artifacts by
 * name, files by path, two-space indent) so the same lock is the same bytes; read strictly (schema
 * version, unknown or missing fields, duplicate names or paths, hostile paths, malformed digests
 * refused with the artifact and field named). Immutable.
 *
 * @param artifacts the artifacts, sorted by name
 */
public record Lockfile(List<LockedArtifact> artifacts) {
  /** The schema version this code reads and writes. */
  public static final int SCHEMA_VERSION = 1;

  /** The conventional file name. */
  public static final String FILE_NAME = "airgap.lock.json";

  private static final Set<String> ROOT_FIELDS = Set.of("schemaVersion", "artifacts");
  private static final Set<String> ARTIFACT_FIELDS = Set.of("name", "kind", "source", "files");
  private static final Set<String> FILE_FIELDS = Set.of("path", "size", "sha256");

  /**
   * Checks that artifact names can share a directory (none twice, none differing only in case, none
   * inside another) and sorts the artifacts.
   *
   * @throws FormatException naming the repeated artifact
   */
  public Lockfile {
    LockedArtifact.checkDistinct(
        artifacts.stream().map(LockedArtifact::name).toList(), "the lockfile");
    List<LockedArtifact> sorted = new ArrayList<>(artifacts);
    sorted.sort((a, b) -> ResourceNames.CODE_POINT_ORDER.compare(a.name(), b.name()));
    artifacts = List.copyOf(sorted);
  }

  /** The artifact of that name, if any. */
  public Optional<LockedArtifact> artifact(String name) {
    return artifacts.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The canonical JSON form. */
  public byte[] toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    ArrayNode array = root.putArray("artifacts");
    for (LockedArtifact artifact : artifacts) {
      ObjectNode node = array.addObject();
      node.put("name", artifact.name()).put("kind", artifact.kind().label());
      ObjectNode source = node.putObject("source");
      source.put("type", artifact.source().type());
      artifact.source().coordinates().forEach(source::put);
      ArrayNode files = node.putArray("files");
      for (LockedFile file : artifact.files()) {
        files
            .addObject()
            .put("path", file.path())
            .put("size", file.size())
            .put("sha256", file.sha256());
      }
    }
    return StrictJson.writePretty(root);
  }

  /** Writes the canonical form atomically. */
  public void write(Path file) {
    AtomicFiles.write(file, toJson());
  }

  /**
   * Reads a lockfile.
   *
   * @throws FormatException naming the file, the artifact and the field at fault
   * @throws InputException when it cannot be read
   */
  public static Lockfile read(Path file) {
    try {
      return parse(DepsFiles.readDocument(file, true), file.toString());
    } catch (IOException e) {
      throw new InputException("cannot read lockfile " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a lockfile.
   *
   * @param where names the source in errors
   * @throws FormatException naming the artifact and the field at fault
   */
  public static Lockfile parse(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    StrictJson.requireOnly(root, ROOT_FIELDS, where);
    long version = StrictJson.integer(root, "schemaVersion", where);
    if (version != SCHEMA_VERSION) {
      throw new FormatException(
          where
              + ": lockfile schemaVersion "
              + version
              + " is not supported; this reads "
              + SCHEMA_VERSION);
    }
    JsonNode array = StrictJson.array(root, "artifacts", where);
    if (array.isEmpty()) {
      throw new FormatException(where + ": the lockfile lists no artifacts");
    }
    List<LockedArtifact> artifacts = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      artifacts.add(artifact(array.get(i), where + " artifacts[" + i + "]"));
    }
    try {
      return new Lockfile(artifacts);
    } catch (FormatException e) {
      throw new FormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static LockedArtifact artifact(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new FormatException(at + " must be an object");
    }
    StrictJson.requireOnly(node, ARTIFACT_FIELDS, at);
    String name = StrictJson.text(node, "name", at);
    String where = at + " (" + ResourceNames.printable(name) + ")";
    try {
      ArtifactKind kind = ArtifactKind.fromLabel(StrictJson.text(node, "kind", where), where);
      ArtifactSource source =
          DependencySpec.source(StrictJson.object(node, "source", where), where);
      JsonNode filesNode = StrictJson.array(node, "files", where);
      List<LockedFile> files = new ArrayList<>();
      for (int i = 0; i < filesNode.size(); i++) {
        files.add(file(filesNode.get(i), where + " files[" + i + "]"));
      }
      return new LockedArtifact(name, kind, source, files);
    } catch (FormatException e) {
      throw e.getMessage().startsWith(where)
          ? e
          : new FormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static LockedFile file(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new FormatException(at + " must be an object");
    }
    StrictJson.requireOnly(node, FILE_FIELDS, at);
    long size = StrictJson.integer(node, "size", at);
    return new LockedFile(
        StrictJson.text(node, "path", at), size, StrictJson.text(node, "sha256", at));
  }
}
