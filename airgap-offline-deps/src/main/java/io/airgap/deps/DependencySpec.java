package io.airgap.deps;

import com.fasterxml.jackson.databind.JsonNode;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.internal.ResourceNames;
import io.airgap.core.internal.StrictJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a deployment needs, before it is locked: artifacts with a name, a kind and a source, in the
 * lockfile's vocabulary but without files.
 *
 * <pre>{"schemaVersion": 1, "artifacts": [{"name": "onnxruntime", "kind": "maven",
 *   "source": {"type": "maven", "coordinates": "com.microsoft.onnxruntime:onnxruntime:1.24.2"}}]}
 * </pre>
 *
 * @param artifacts the requested artifacts, in the order given
 */
public record DependencySpec(List<Request> artifacts) {
  private static final Set<String> ROOT_FIELDS = Set.of("schemaVersion", "artifacts");
  private static final Set<String> ARTIFACT_FIELDS = Set.of("name", "kind", "source");

  /**
   * One requested artifact.
   *
   * @param name its unique name
   * @param kind what it is for
   * @param source where it comes from
   */
  public record Request(String name, ArtifactKind kind, ArtifactSource source) {}

  /** Checks that names are unique. */
  public DependencySpec {
    LockedArtifact.checkDistinct(artifacts.stream().map(Request::name).toList(), "the spec");
    artifacts = List.copyOf(artifacts);
  }

  /**
   * Reads a spec file.
   *
   * @throws FormatException naming the file, the artifact and the field at fault
   */
  public static DependencySpec read(Path file) {
    try {
      return parse(DepsFiles.readDocument(file, true), file.toString());
    } catch (IOException e) {
      throw new InputException("cannot read spec " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a spec; errors name {@code where}, the artifact and the field. */
  public static DependencySpec parse(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    StrictJson.requireOnly(root, ROOT_FIELDS, where);
    long version = StrictJson.integer(root, "schemaVersion", where);
    if (version != Lockfile.SCHEMA_VERSION) {
      throw new FormatException(where + ": spec schemaVersion " + version + " is not supported");
    }
    JsonNode array = StrictJson.array(root, "artifacts", where);
    if (array.isEmpty()) {
      throw new FormatException(where + ": the spec lists no artifacts");
    }
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode node = array.get(i);
      String at = where + " artifacts[" + i + "]";
      if (!node.isObject()) {
        throw new FormatException(at + " must be an object");
      }
      StrictJson.requireOnly(node, ARTIFACT_FIELDS, at);
      String name = StrictJson.text(node, "name", at);
      String named = at + " (" + ResourceNames.printable(name) + ")";
      try {
        LockedArtifact.checkName(name);
        requests.add(
            new Request(
                name,
                ArtifactKind.fromLabel(StrictJson.text(node, "kind", named), named),
                source(StrictJson.object(node, "source", named), named)));
      } catch (FormatException e) {
        throw e.getMessage().startsWith(named)
            ? e
            : new FormatException(named + ": " + e.getMessage(), e);
      }
    }
    try {
      return new DependencySpec(requests);
    } catch (FormatException e) {
      throw new FormatException(where + ": " + e.getMessage(), e);
    }
  }

  /** A source object: {@code type} plus string coordinates. */
  static ArtifactSource source(JsonNode node, String where) {
    String type = StrictJson.text(node, "type", where + " source");
    Map<String, String> coordinates = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals("type")) {
        if (!field.getValue().isTextual()) {
          throw new FormatException("source field '" + field.getKey() + "' must be a string");
        }
        coordinates.put(field.getKey(), field.getValue().textValue());
      }
    }
    return new ArtifactSource(type, coordinates);
  }
}
