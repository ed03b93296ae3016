package io.airgap.deps;

import io.airgap.core.InputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Repositories from source specs, the {@code TYPE=LOCATION} strings a command line or a host's
 * configuration names them with:
 *
 * <ul>
 *   <li>{@code maven=URL} (a {@code file:}, {@code http:} or {@code https:} URL) or {@code
 *       maven=PATH}: a {@link MavenRepository};
 *   <li>{@code directory=PATH}: a {@link DirectoryMirror};
 *   <li>{@code huggingface=PATH}: a {@link HuggingFaceCache};
 *   <li>{@code oci=URL} (an {@code http:} or {@code https:} URL): an {@link OciRegistry}, with the
 *       credentials of {@value #REGISTRY_USER} and {@value #REGISTRY_PASSWORD} when its host is
 *       {@value #REGISTRY_HOST};
 *   <li>{@code oci-layout=PATH}: an {@link OciLayout}.
 * </ul>
 *
 * Network repositories wait {@link #TIMEOUT} for an answer. Stateless and thread-safe.
 */
public final class Repositories {
  /** The variable holding an OCI registry's user name (a Harbor robot account, say). */
  public static final String REGISTRY_USER = "AIRGAP_REGISTRY_USER";

  /** The variable holding the registry password; {@value #REGISTRY_USER} must be set with it. */
  public static final String REGISTRY_PASSWORD = "AIRGAP_REGISTRY_PASSWORD";

  /** The variable naming the one registry host the credentials are for, required with them. */
  public static final String REGISTRY_HOST = "AIRGAP_REGISTRY_HOST";

  /** How long a Maven repository or an OCI registry made here waits for an answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final String TYPES = "maven, directory, huggingface, oci or oci-layout";

  private Repositories() {}

  /**
   * The repository a source spec names, taking registry credentials from this process's environment
   * ({@link System#getenv()}); see {@link #parse(String, Map)}.
   *
   * @throws IllegalArgumentException when the spec is malformed, naming it
   * @throws InputException when the registry credentials in the environment are incomplete
   */
  public static Repository parse(String spec) {
    return parse(spec, System.getenv());
  }

  /**
   * The repository a source spec ({@code TYPE=LOCATION}) names. An {@code oci} registry whose host
   * is {@code environment}'s {@value #REGISTRY_HOST} is given the credentials of {@value
   * #REGISTRY_USER} and {@value #REGISTRY_PASSWORD} when it asks for them; any other registry is
   * asked anonymously, so the credentials never reach a registry they are not for. Keeping the
   * password in the environment keeps it off command lines and out of the process list. Nothing is
   * contacted here.
   *
   * @param environment where credentials are looked up: {@code System.getenv()}, or the caller's
   *     own configuration
   * @throws IllegalArgumentException when the spec is not {@code TYPE=LOCATION}, names an unknown
   *     type, has an empty location, or a location that is not a path or URL of its type; the
   *     message starts with the spec
   * @throws InputException when only one of {@value #REGISTRY_USER} and {@value #REGISTRY_PASSWORD}
   *     is set, or both without {@value #REGISTRY_HOST}
   */
  public static Repository parse(String spec, Map<String, String> environment) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(environment, "environment");
    int equals = spec.indexOf('=');
    if (equals < 1) {
      throw new IllegalArgumentException(
          spec + ": a source is TYPE=LOCATION, TYPE one of " + TYPES);
    }
    String type = spec.substring(0, equals);
    String location = spec.substring(equals + 1);
    if (location.isEmpty()) {
      throw new IllegalArgumentException(spec + ": the location is empty");
    }
    try {
      return switch (type) {
        case "maven" -> new MavenRepository(mavenLocation(location), TIMEOUT);
        case "directory" -> new DirectoryMirror(Path.of(location));
        case "huggingface" -> new HuggingFaceCache(Path.of(location));
        case "oci" -> registry(registryLocation(location), environment);
        case "oci-layout" -> new OciLayout(Path.of(location));
        default ->
            throw new IllegalArgumentException("the type must be " + TYPES + ", not " + type);
      };
    } catch (IllegalArgumentException e) {
      // URI syntax, a path the file system cannot name, an unsupported scheme: the spec at fault.
      throw new IllegalArgumentException(spec + ": " + e.getMessage(), e);
    }
  }

  /** A URL, or a local path for a location without a scheme (or an absolute path). */
  private static URI mavenLocation(String location) {
    return location.contains(":") && !location.startsWith("/")
        ? URI.create(location)
        : Path.of(location).toUri();
  }

  private static URI registryLocation(String location) {
    URI uri = URI.create(location);
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "an OCI registry is an http: or https: URL with a host, not " + location);
    }
    return uri;
  }

  /** The registry at {@code location}, with the credentials that are for its host, if any. */
  private static OciRegistry registry(URI location, Map<String, String> environment) {
    String user = environment.get(REGISTRY_USER);
    String password = environment.get(REGISTRY_PASSWORD);
    if (user == null && password == null) {
      return new OciRegistry(location, TIMEOUT);
    }
    if (user == null || password == null) {
      throw new InputException(
          (user == null ? REGISTRY_PASSWORD : REGISTRY_USER)
              + " is set without "
              + (user == null ? REGISTRY_USER : REGISTRY_PASSWORD)
              + "; set both for a registry that needs credentials, or neither");
    }
    String host = environment.get(REGISTRY_HOST);
    if (host == null || host.isEmpty()) {
      throw new InputException(
          REGISTRY_USER
              + " and "
              + REGISTRY_PASSWORD
              + " are set without "
              + REGISTRY_HOST
              + ", the registry host they are for");
    }
    return host.equalsIgnoreCase(location.getHost())
        ? new OciRegistry(location, TIMEOUT, user, password)
        : new OciRegistry(location, TIMEOUT);
  }
}
