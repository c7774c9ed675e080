package io.aiaas.worker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP/1.1 client on a plain socket, for requests no well-behaved client would send: raw bytes in the path,
 * contradictory or malformed headers, bodies that do not match their Content-Length. Reads one final response.
 */
public final class RawHttp {

    /** One response; {@code status} is -1 when the server closed the connection without answering. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line), then the body, and reads the answer.
     * With {@code Expect: 100-continue} in the head the body is sent only after "100 Continue", so that an early
     * final answer (413 from the declared length) is read rather than reset by the server's close.
     */
    public static Response exchange(int port, String head, byte[] body, int timeoutMs) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            boolean expectContinue = head.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue");
            if (expectContinue && body.length > 0) {
                Response interim = readResponse(in);
                if (interim.status() != 100) {
                    return interim;
                }
            }
            // The writer runs apart: a server that answers before reading everything must not block us.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException ignored) {
                    // the server stopped reading (it answered, or closed): its answer is what counts
                }
            });
            try {
                Response response;
                do {
                    response = readResponse(in);
                } while (response.status() >= 100 && response.status() < 200);
                return response;
            } finally {
                writing.cancel(true);
            }
        }
    }

    private static Response readResponse(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = readLine(in);
        } catch (IOException e) {
            return new Response(-1, Map.of(), new byte[0]);
        }
        if (statusLine == null || statusLine.isEmpty()) {
            return new Response(-1, Map.of(), new byte[0]);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (status >= 100 && status < 200) {
            return new Response(status, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
            readLine(in);
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else {
            try {
                in.transferTo(body);
            } catch (SocketTimeoutException e) {
                // no length and no close: take what came
            }
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
