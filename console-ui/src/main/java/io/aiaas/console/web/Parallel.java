package io.aiaas.console.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Runs a page's independent calls to platform-api at the same time, so that a page that needs four answers waits for
 * the slowest rather than for their sum. The executor carries the request's context (the signed-in person, hence
 * their token) to each call. A call's {@code ApiProblem} (or any runtime exception) is rethrown as it was by
 * {@link Call#get()}, so pages handle it exactly as for a call made in line.
 */
@ApplicationScoped
public class Parallel {

    private final ManagedExecutor executor;

    Parallel(ManagedExecutor executor) {
        this.executor = executor;
    }

    /** Starts the call now; {@link Call#get()} waits for its answer. */
    public <T> Call<T> start(Supplier<T> call) {
        return new Call<>(executor.supplyAsync(call));
    }

    /** A call under way. */
    public static final class Call<T> {
        private final CompletableFuture<T> future;

        Call(CompletableFuture<T> future) {
            this.future = future;
        }

        /** The call's answer, or the exception it ended with. */
        public T get() {
            try {
                return future.get();
            } catch (ExecutionException | CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for platform-api", e);
            }
        }
    }
}
