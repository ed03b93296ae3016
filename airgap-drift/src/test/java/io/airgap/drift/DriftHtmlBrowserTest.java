package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: headless Chromium (Debian's {@code chromium}, which the CI
 * script installs) parses the page into the expected document, and the page asks the network for
 * nothing. Chromium's own background requests are told apart from the page's by their initiator in
 * the network log: the page's carry its origin ({@code null} for a file), the browser's none.
 */
class DriftHtmlBrowserTest {
  @TempDir Path temp;

  private static Optional<Path> chromium() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .flatMap(dir -> Stream.of(Path.of(dir, "chromium"), Path.of(dir, "chromium-browser")))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** What the browser made of a page. */
  private record Rendered(String dom, List<String> pageRequests) {}

  private Rendered render(String html) throws Exception {
    Optional<Path> browser = chromium();
    assumeTrue(browser.isPresent(), "chromium is not installed (the CI script installs it)");
    Path page = Files.writeString(temp.resolve("report.html"), html, StandardCharsets.UTF_8);
    Path netLog = temp.resolve("net.json");
    Path dom = temp.resolve("dom.html");
    Process process =
        new ProcessBuilder(
                browser.get().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + temp.resolve("profile"),
                "--log-net-log=" + netLog,
                "--dump-dom",
                page.toUri().toString())
            .redirectOutput(dom.toFile())
            .redirectError(temp.resolve("chromium.err").toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(process.exitValue()).as(Files.readString(temp.resolve("chromium.err"))).isZero();
    return new Rendered(Files.readString(dom), pageRequests(netLog));
  }

  /** URLs the page itself asked for, from Chromium's network log. */
  private static List<String> pageRequests(Path netLog) throws Exception {
    JsonNode log = new ObjectMapper().readTree(netLog.toFile());
    int startJob = log.get("constants").get("logEventTypes").get("URL_REQUEST_START_JOB").asInt();
    List<String> urls = new ArrayList<>();
    for (JsonNode event : log.get("events")) {
      JsonNode params = event.get("params");
      if (event.get("type").asInt() == startJob
          && params != null
          && params.has("url")
          && !"not an origin".equals(params.path("initiator").asText("not an origin"))) {
        urls.add(params.get("url").asText());
      }
    }
    return urls;
  }

  private static DriftProfile irisReference() {
    return DriftProfile.builder()
        .maxCategories(100)
        .buildFromCsv(
            TestResources.resource("drift/evidently/iris-reference.csv"),
            List.of(),
            Set.of("species"));
  }

  private static String irisReport() {
    DriftProfile reference = irisReference();
    DriftProfile current =
        CsvProfiles.current(TestResources.resource("drift/evidently/iris-current.csv"), reference);
    DriftReport report = DriftReport.compare(reference, current, MultipleTesting.Correction.NONE);
    return DriftHtml.render(report, reference, current);
  }

  private static int count(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }

  @Test
  void reportRendersEveryHistogramAndFetchesNothing() throws Exception {
    Rendered rendered = render(irisReport());

    assertThat(rendered.pageRequests()).isEmpty();
    // Five features, one chart each; per bucket (underflow, inner bins, overflow; categories and
    // "other") two bars and a label.
    int buckets =
        irisReference().features().stream().mapToInt(f -> DriftHtml.labels(f).size()).sum();
    assertThat(buckets).isEqualTo(4 * 12 + 4 - 1); // petal_width has two equal edges: one bin less
    assertThat(count(rendered.dom(), "<svg ")).isEqualTo(5);
    assertThat(count(rendered.dom(), "<rect ")).isEqualTo(2 * buckets);
    assertThat(count(rendered.dom(), "<text ")).isEqualTo(buckets);
    assertThat(rendered.dom())
        .contains("<p id=\"verdict\">4 of 5 features drifted: dataset")
        .contains("<p id=\"correction\">Multiple-testing correction: none")
        .contains("<th>p-value</th><th>adjusted p-value</th>")
        .contains(">setosa</text>")
        .contains(">&lt; 4.400</text>")
        .contains(">&gt; 7.700</text>")
        .contains("<title>[4.400, 4.800): current 0.0000</title>");
  }

  @Test
  void aPageThatFetchesIsCaught() throws Exception {
    String leaky =
        irisReport()
            .replace(
                "<h1>Drift report</h1>",
                "<h1>Drift report</h1><img src=\"http://192.0.2.1/pixel.png\">");

    Rendered rendered = render(leaky);

    assertThat(rendered.pageRequests()).containsExactly("http://192.0.2.1/pixel.png");
  }
}
