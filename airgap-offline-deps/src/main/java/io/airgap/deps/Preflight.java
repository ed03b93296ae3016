package io.airgap.deps;

import io.airgap.core.AirgapException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What would reach out or break on an isolated host: proxy settings that would send requests
 * somewhere, Hugging Face tools not told to stay offline, and a lockfile or content store that does
 * not verify. Used by {@code airgap doctor}. Stateless.
 */
public final class Preflight {
  private static final List<String> PROXY_VARIABLES =
      List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy");
  private static final List<String> PROXY_PROPERTIES =
      List.of("http.proxyHost", "https.proxyHost", "socksProxyHost");

  private Preflight() {}

  /** How a finding weighs. */
  public enum Status {
    /** Fine. */
    OK,
    /** Worth knowing: something could reach out, or a tool could try to. */
    WARN,
    /** Broken: a lock or store that does not verify. */
    FAIL
  }

  /**
   * One finding.
   *
   * @param name what was checked
   * @param status how it weighs
   * @param detail what was found, or what to do
   */
  public record Check(String name, Status status, String detail) {}

  /**
   * A proxy setting as it may be shown: a user name and password ({@code http://user:pw@proxy})
   * become {@code ***}, since doctor output is pasted into tickets. Everything up to the last
   * {@code @} goes: a password with an unencoded {@code /} or {@code @} must not survive, and
   * hiding a path now and then costs nothing.
   */
  static String withoutCredentials(String value) {
    return value.replaceAll("^([A-Za-z][A-Za-z0-9+.-]*://)?.*@", "$1***@");
  }

  /**
   * Runs the checks.
   *
   * @param environment the process environment ({@code System.getenv()})
   * @param properties the system properties ({@code System.getProperties()})
   * @param lock a lockfile to check, or null
   * @param store a content store to verify (and resolve the lock against), or null
   */
  public static List<Check> run(
      Map<String, String> environment, Properties properties, Path lock, Path store) {
    List<Check> checks = new ArrayList<>();
    List<String> proxies = new ArrayList<>();
    for (String variable : PROXY_VARIABLES) {
      if (environment.containsKey(variable) && !environment.get(variable).isEmpty()) {
        proxies.add(variable + "=" + withoutCredentials(environment.get(variable)));
      }
    }
    for (String property : PROXY_PROPERTIES) {
      if (properties.getProperty(property) != null) {
        proxies.add("-D" + property + "=" + withoutCredentials(properties.getProperty(property)));
      }
    }
    checks.add(
        proxies.isEmpty()
            ? new Check("proxy settings", Status.OK, "none")
            : new Check(
                "proxy settings",
                Status.WARN,
                String.join(", ", proxies)
                    + " (the SDK's repositories use no proxy; other tools in this process may)"));
    for (String variable : List.of("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")) {
      String value = environment.get(variable);
      checks.add(
          "1".equals(value)
              ? new Check(variable, Status.OK, "1")
              : new Check(
                  variable,
                  Status.WARN,
                  (value == null ? "unset" : "'" + value + "'")
                      + ": Hugging Face tools on this host may try to download; set it to 1"));
    }
    Lockfile locked = null;
    if (lock != null) {
      try {
        locked = Lockfile.read(lock);
        checks.add(
            new Check("lockfile " + lock, Status.OK, locked.artifacts().size() + " artifacts"));
      } catch (AirgapException e) {
        checks.add(new Check("lockfile " + lock, Status.FAIL, e.getMessage()));
      }
    }
    if (store != null) {
      ContentStore contentStore;
      try {
        contentStore = ContentStore.open(store);
      } catch (AirgapException e) {
        checks.add(new Check("content store " + store, Status.FAIL, e.getMessage()));
        return checks;
      }
      try {
        List<String> problems = contentStore.check();
        checks.add(
            problems.isEmpty()
                ? new Check(
                    "content store " + store,
                    Status.OK,
                    contentStore.list().size() + " artifacts, every blob verified")
                : new Check("content store " + store, Status.FAIL, String.join("; ", problems)));
        if (locked != null && problems.isEmpty()) {
          Resolver.resolve(locked, contentStore);
          checks.add(
              new Check(
                  "lock resolves offline", Status.OK, "every locked artifact is in the store"));
        }
      } catch (AirgapException e) {
        checks.add(new Check("lock resolves offline", Status.FAIL, e.getMessage()));
      }
    }
    return checks;
  }
}
