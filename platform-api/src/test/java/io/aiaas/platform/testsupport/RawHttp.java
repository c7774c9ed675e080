package io.aiaas.platform.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket, for requests no well-behaved client sends: the request target exactly as
 * given (raw percent escapes, odd methods), any headers or none (no Content-Type, a lying Content-Length), a body sent
 * whole, chunked, or in pieces with pauses. One request per connection ({@code Connection: close}).
 */
public final class RawHttp {

    /** What came back; {@code status} is -1 when the server closed the connection without answering. */
    public record Answer(int status, Map<String, String> headers, byte[] body, long millis) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers.getOrDefault("content-type", "") + " " + text();
        }
    }

    private final String host;
    private final int port;

    public RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends the request (body may be null) with Content-Length when there is a body, and reads the answer. */
    public Answer send(String method, String target, Map<String, String> headers, byte[] body, Duration timeout) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (body != null && all.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-length")
                || h.equalsIgnoreCase("transfer-encoding"))) {
            all.put("Content-Length", Integer.toString(body.length));
        }
        long started = System.nanoTime();
        try (Socket socket = open(timeout)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, all));
            if (body != null) {
                boolean chunked = all.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase(
                        "transfer-encoding") && e.getValue().equalsIgnoreCase("chunked"));
                if (chunked) {
                    writeChunked(out, body);
                } else {
                    out.write(body);
                }
            }
            out.flush();
            return read(socket.getInputStream(), started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head (whose Content-Length promises more) and the first part of the body, then sends nothing more and
     * waits for the answer: a client that stalls.
     */
    public Answer stall(String method, String target, Map<String, String> headers, byte[] part, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = open(timeout)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, headers));
            out.write(part);
            out.flush();
            return read(socket.getInputStream(), started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head, then the body in pieces of {@code pieceBytes} with {@code pause} between them, and reads the
     * answer whenever it comes (the server may answer and close before the body is complete).
     */
    public Answer trickle(String method, String target, Map<String, String> headers, byte[] body, int pieceBytes,
            Duration pause, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = open(timeout)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, headers));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int sent = 0; sent < body.length; sent += pieceBytes) {
                if (in.available() > 0) {
                    break; // answered already
                }
                try {
                    out.write(body, sent, Math.min(pieceBytes, body.length - sent));
                    out.flush();
                } catch (IOException e) {
                    break; // the server closed the connection; its answer may still be readable
                }
                sleep(pause);
            }
            return read(in, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Socket open(Duration timeout) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setSoTimeout((int) timeout.toMillis());
        return socket;
    }

    private byte[] head(String method, String target, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        head.append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        // header values are sent as UTF-8 bytes (obs-text to HTTP), so hostile non-ASCII arrives as it was written
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        int piece = 64 * 1024;
        for (int i = 0; i < body.length; i += piece) {
            int n = Math.min(piece, body.length - i);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static Answer read(InputStream in, long started) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            if (all.size() == 0) {
                throw e;
            }
        } catch (IOException e) {
            // a reset after the answer was sent: keep what arrived
            if (all.size() == 0) {
                return new Answer(-1, Map.of(), new byte[0], (System.nanoTime() - started) / 1_000_000);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            return new Answer(-1, Map.of(), bytes, millis);
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = unchunk(rest);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            rest = java.util.Arrays.copyOf(rest, Math.min(length, rest.length));
        }
        return new Answer(status, headers, rest, millis);
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(chunked, i, chunked.length),
                    "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, i, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            i += lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(chunked, i, Math.min(size, chunked.length - i));
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
