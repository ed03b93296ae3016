package io.airgap.deps;

import io.airgap.core.FormatException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where an artifact comes from, as the lockfile records it: a type and its coordinates.
 *
 * <table>
 *   <caption>Source types and their coordinates</caption>
 *   <tr><th>type</th><th>required</th><th>optional</th></tr>
 *   <tr><td>{@code maven}</td><td>{@code coordinates} (groupId:artifactId:version)</td>
 *       <td>{@code classifier}, {@code extension} (default jar), {@code platforms} (for native
 *       libraries: comma-separated, for example {@code linux-x64,linux-aarch64})</td></tr>
 *   <tr><td>{@code huggingface}</td><td>{@code repository} (org/name), {@code revision} (a
 *       40-hex commit)</td><td>{@code files} (comma-separated paths; default every file)</td></tr>
 *   <tr><td>{@code oci}</td><td>{@code repository}, {@code digest} (sha256:...)</td>
 *       <td>{@code tag}</td></tr>
 *   <tr><td>{@code directory}</td><td>{@code path} (relative, inside the mirror)</td><td></td></tr>
 * </table>
 *
 * @param type the source type
 * @param coordinates the coordinates, sorted by key
 */
public record ArtifactSource(String type, Map<String, String> coordinates) {
  /** A repository name as the OCI distribution spec defines it. */
  private static final String OCI_REPOSITORY =
      "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*";

  private static final Map<String, Set<String>> REQUIRED =
      Map.of(
          "maven", Set.of("coordinates"),
          "huggingface", Set.of("repository", "revision"),
          "oci", Set.of("repository", "digest"),
          "directory", Set.of("path"));
  private static final Map<String, Set<String>> OPTIONAL =
      Map.of(
          "maven", Set.of("classifier", "extension", "platforms"),
          "huggingface", Set.of("files"),
          "oci", Set.of("tag"),
          "directory", Set.of());

  /**
   * Checks the type, that every required coordinate is there and no unknown one, and their forms.
   *
   * @throws FormatException naming the type and the coordinate at fault
   */
  public ArtifactSource {
    if (!REQUIRED.containsKey(type)) {
      throw new FormatException(
          "source type '" + type + "' is unknown; known: " + new TreeMap<>(REQUIRED).keySet());
    }
    coordinates = Collections.unmodifiableMap(new TreeMap<>(coordinates));
    for (String key : REQUIRED.get(type)) {
      if (!coordinates.containsKey(key) || coordinates.get(key).isEmpty()) {
        throw new FormatException(type + " source lacks its '" + key + "'");
      }
    }
    for (String key : coordinates.keySet()) {
      if (!REQUIRED.get(type).contains(key) && !OPTIONAL.get(type).contains(key)) {
        throw new FormatException(type + " source has an unknown coordinate '" + key + "'");
      }
    }
    checkForms(type, coordinates);
  }

  private static void checkForms(String type, Map<String, String> c) {
    switch (type) {
      case "maven" -> {
        String gav = c.get("coordinates");
        boolean wellFormed =
            gav.matches("[A-Za-z0-9_.\\-]+:[A-Za-z0-9_.\\-]+:[A-Za-z0-9_.\\-+]+")
                && java.util.Arrays.stream(gav.split(":")).noneMatch(part -> part.startsWith("."));
        if (c.containsKey("platforms")
            && !c.get("platforms").matches("[a-z0-9]+-[a-z0-9_]+(,[a-z0-9]+-[a-z0-9_]+)*")) {
          throw new FormatException(
              "maven source platforms '"
                  + c.get("platforms")
                  + "' are not a list such as linux-x64,osx-aarch64");
        }
        for (String key : new String[] {"classifier", "extension"}) {
          String value = c.get(key);
          wellFormed &= value == null || value.matches("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*");
        }
        if (!wellFormed) {
          throw new FormatException(
              "maven source coordinates '"
                  + gav
                  + "' are not groupId:artifactId:version (or a classifier or extension is"
                  + " malformed)");
        }
      }
      case "huggingface" -> {
        if (!c.get("revision").matches("[0-9a-f]{40}")) {
          throw new FormatException(
              "huggingface source revision '"
                  + c.get("revision")
                  + "' is not a 40-hex commit; lock a commit, not a branch");
        }
        if (c.containsKey("files")) {
          for (String file : c.get("files").split(",", -1)) {
            io.airgap.core.internal.ResourceNames.check(file.trim(), "huggingface source files");
          }
        }
        if (!c.get("repository").matches("[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+")) {
          throw new FormatException(
              "huggingface source repository '" + c.get("repository") + "' is not org/name");
        }
      }
      case "oci" -> {
        if (!c.get("digest").matches("sha256:[0-9a-f]{64}")) {
          throw new FormatException(
              "oci source digest '" + c.get("digest") + "' is not sha256:<64 hex>");
        }
        // The repository becomes part of a registry URL: only the distribution spec's names,
        // so no '..', '%' or '?' can point a request elsewhere on the host.
        if (!c.get("repository").matches(OCI_REPOSITORY)) {
          throw new FormatException(
              "oci source repository '"
                  + c.get("repository")
                  + "' is not a repository name (lowercase path components such as team/model)");
        }
        if (c.containsKey("tag") && !c.get("tag").matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
          throw new FormatException("oci source tag '" + c.get("tag") + "' is not a tag");
        }
      }
      default ->
          io.airgap.core.internal.ResourceNames.check(c.get("path"), "directory source path");
    }
  }
}
