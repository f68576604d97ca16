package dev.inferops.app.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The app's download mode, run by the operator as an init container with the app's own image, so a
 * model served from a URL needs no second image: fetches the model into the pod's emptyDir, checks
 * its SHA-256 when one is given, and moves it into place only when it is whole and right. A failure
 * is one line naming the URL and the cause; the kubelet retries the init container with its capped
 * back-off, so nothing here retries.
 */
public final class ModelDownload {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** What to fetch, where to, and the limits. */
  public record Request(URI url, String sha256, Path out, long maxBytes, Duration timeout) {}

  /** A download that did not produce the model; the message is the one line for the status. */
  public static final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    DownloadException(String message) {
      super(message);
    }
  }

  private ModelDownload() {}

  /**
   * CLI: {@code download --url URL [--sha256 HEX] --out FILE [--max-mb N] [--timeout-seconds S]}.
   */
  public static int run(String[] args, String usage, PrintStream out, PrintStream err) {
    Request request;
    try {
      request = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("download: " + e.getMessage());
      err.print(usage);
      return 2;
    }
    if (request == null) {
      out.print(usage);
      return 0;
    }
    try {
      String digest = fetch(request);
      err.println(
          "downloaded " + request.url() + " to " + request.out() + " (sha256 " + digest + ")");
      return 0;
    } catch (DownloadException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  static Request parse(String[] args) {
    String url = null;
    String sha256 = null;
    String out = null;
    long maxMb = 512;
    long timeout = 300;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--url" -> url = value;
        case "--sha256" -> sha256 = value.isBlank() ? null : value.toLowerCase(Locale.ROOT);
        case "--out" -> out = value;
        case "--max-mb" -> maxMb = positive(arg, value);
        case "--timeout-seconds" -> timeout = positive(arg, value);
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (url == null || out == null) {
      throw new IllegalArgumentException("--url and --out are required");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--url is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("--url must be an http:// or https:// URL, got " + url);
    }
    if (sha256 != null && !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("--sha256 must be 64 hex digits, got " + sha256);
    }
    return new Request(uri, sha256, Path.of(out), maxMb << 20, Duration.ofSeconds(timeout));
  }

  private static long positive(String option, String value) {
    try {
      long n = Long.parseLong(value);
      if (n >= 1 && n <= 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the message below.
    }
    throw new IllegalArgumentException(option + " must be a whole number from 1, got " + value);
  }

  /**
   * Downloads into a temporary file beside {@code out} and moves it into place once it is whole and
   * its digest is right.
   *
   * @return the file's SHA-256 in hex
   */
  public static String fetch(Request r) throws DownloadException {
    String what = "model download from " + r.url() + ": ";
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            // Redirects to storage are common; NORMAL never follows https to http.
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request = HttpRequest.newBuilder(r.url()).timeout(r.timeout()).GET().build();
    Path dir = r.out().toAbsolutePath().getParent();
    Path part = null;
    try {
      Files.createDirectories(dir);
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new DownloadException(what + "HTTP " + response.statusCode());
        }
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > r.maxBytes()) {
          throw new DownloadException(what + tooLarge(declared + " bytes", r));
        }
        part = Files.createTempFile(dir, ".download-", ".part");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (OutputStream file = new DigestOutputStream(Files.newOutputStream(part), sha)) {
          copy(body, file, r, what);
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (r.sha256() != null && !r.sha256().equals(digest)) {
          throw new DownloadException(
              what + "sha256 mismatch: expected " + r.sha256() + ", got " + digest);
        }
        Files.move(part, r.out(), StandardCopyOption.ATOMIC_MOVE);
        part = null;
        return digest;
      }
    } catch (HttpConnectTimeoutException e) {
      throw new DownloadException(what + "cannot connect to " + hostPort(r.url()) + ": timed out");
    } catch (HttpTimeoutException e) {
      throw new DownloadException(
          what + "no complete answer within " + r.timeout().toSeconds() + " s");
    } catch (ConnectException e) {
      throw new DownloadException(
          what + "cannot connect to " + hostPort(r.url()) + ": " + reason(e, "connection refused"));
    } catch (UnknownHostException e) {
      throw new DownloadException(what + "unknown host " + r.url().getHost());
    } catch (IOException e) {
      throw new DownloadException(what + reason(e, e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DownloadException(what + "interrupted");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    } finally {
      if (part != null) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException ignored) {
          // The emptyDir goes with the pod.
        }
      }
    }
  }

  private static void copy(InputStream in, OutputStream out, Request r, String what)
      throws IOException, DownloadException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (total > r.maxBytes()) {
        throw new DownloadException(what + tooLarge("more than " + r.maxBytes() + " bytes", r));
      }
      out.write(buffer, 0, n);
    }
  }

  private static String tooLarge(String size, Request r) {
    return "the model is "
        + size
        + ", over the limit of "
        + (r.maxBytes() >> 20)
        + " MiB (MODEL_MAX_MB)";
  }

  private static String hostPort(URI url) {
    int port = url.getPort();
    if (port < 0) {
      port = url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
    return url.getHost() + ":" + port;
  }

  private static String reason(Exception e, String fallback) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? fallback : m.lines().findFirst().orElse(fallback);
  }
}
