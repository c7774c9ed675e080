package io.aiaas.onnx.builder;

import io.aiaas.onnx.proto.TensorProto.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The platform's demo model: prepares the Iris data set (Fisher 1936, UCI copy, public domain), trains a multinomial
 * logistic regression with plain gradient descent, evaluates it on a held-out split and exports it as ONNX.
 */
public final class IrisDemo {

    public static final List<String> CLASS_NAMES = List.of("setosa", "versicolor", "virginica");
    public static final String INPUT = "features";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABEL = "label";
    public static final int FEATURES = 4;
    public static final long SEED = 20240917L;

    private static final double TEST_FRACTION = 0.2;
    private static final int EPOCHS = 1500;
    private static final double LEARNING_RATE = 0.2;

    /** Feature rows and their class index (0 setosa, 1 versicolor, 2 virginica). */
    public record Dataset(float[][] features, int[] labels) {
        public int size() {
            return labels.length;
        }
    }

    /** A trained classifier: standardization, weights [4][3], bias [3], the test split and its accuracy. */
    public record Trained(float[] mean, float[] std, float[][] weights, float[] bias,
                          Dataset train, Dataset test, double trainAccuracy, double testAccuracy) {

        public List<String> classNames() {
            return CLASS_NAMES;
        }

        /** Reference forward pass, the same float arithmetic as the exported graph. */
        public float[][] probabilities(float[][] x) {
            float[][] result = new float[x.length][];
            for (int r = 0; r < x.length; r++) {
                float[] logits = bias.clone();
                for (int i = 0; i < FEATURES; i++) {
                    float z = (x[r][i] - mean[i]) / std[i];
                    for (int j = 0; j < logits.length; j++) {
                        logits[j] += z * weights[i][j];
                    }
                }
                result[r] = TestModels.softmax(logits);
            }
            return result;
        }

        /** Reference labels: the index of the highest probability per row. */
        public long[] labels(float[][] x) {
            float[][] p = probabilities(x);
            long[] labels = new long[p.length];
            for (int r = 0; r < p.length; r++) {
                labels[r] = argMax(p[r]);
            }
            return labels;
        }

        public double accuracy(Dataset data) {
            long[] predicted = labels(data.features());
            int correct = 0;
            for (int r = 0; r < predicted.length; r++) {
                if (predicted[r] == data.labels()[r]) {
                    correct++;
                }
            }
            return data.size() == 0 ? 0 : (double) correct / data.size();
        }

        /**
         * features FP32 [-1, 4] → probabilities FP32 [-1, 3] (Sub, Div, MatMul, Add, Softmax)
         * and label INT64 [-1] (ArgMax over axis 1).
         */
        public OnnxModelBuilder model() {
            return OnnxModelBuilder.create("iris_logistic_regression")
                    .input(INPUT, DataType.FLOAT, -1, FEATURES)
                    .output(PROBABILITIES, DataType.FLOAT, -1, CLASS_NAMES.size())
                    .output(LABEL, DataType.INT64, -1)
                    .initializer("mean", mean, FEATURES)
                    .initializer("std", std, FEATURES)
                    .initializer("W", OnnxModelBuilder.flatten(weights), FEATURES, CLASS_NAMES.size())
                    .initializer("b", bias, CLASS_NAMES.size())
                    .node("Sub", "centered", INPUT, "mean")
                    .node("Div", "standardized", "centered", "std")
                    .node("MatMul", "scores", "standardized", "W")
                    .node("Add", "logits", "scores", "b")
                    .node("Softmax", PROBABILITIES, "logits")
                    .node("ArgMax", List.of(PROBABILITIES), List.of(LABEL),
                            OnnxModelBuilder.intAttribute("axis", 1), OnnxModelBuilder.intAttribute("keepdims", 0));
        }

        public byte[] onnx() {
            return model().toBytes();
        }

        public Path write(Path file) {
            return model().write(file);
        }
    }

    private IrisDemo() {
    }

    /** Reads the embedded 150-row CSV. */
    public static Dataset load() {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream in = IrisDemo.class.getResourceAsStream("iris.csv")) {
            if (in == null) {
                throw new IllegalStateException("iris.csv missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                float[] row = new float[FEATURES];
                for (int i = 0; i < FEATURES; i++) {
                    row[i] = Float.parseFloat(cells[i]);
                }
                rows.add(row);
                labels.add(CLASS_NAMES.indexOf(cells[FEATURES].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Dataset(rows.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    public static Trained train() {
        return train(SEED);
    }

    /** Stratified seeded 80/20 split, standardization on the training rows, full-batch gradient descent. */
    public static Trained train(long seed) {
        Dataset all = load();
        Dataset[] split = split(all, seed);
        Dataset train = split[0];
        Dataset test = split[1];

        float[] mean = new float[FEATURES];
        float[] std = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            double sum = 0;
            for (float[] row : train.features()) {
                sum += row[i];
            }
            double m = sum / train.size();
            double squares = 0;
            for (float[] row : train.features()) {
                squares += (row[i] - m) * (row[i] - m);
            }
            mean[i] = (float) m;
            std[i] = (float) Math.max(Math.sqrt(squares / train.size()), 1e-6);
        }

        int classes = CLASS_NAMES.size();
        double[][] w = new double[FEATURES][classes];
        double[] b = new double[classes];
        double[][] z = new double[train.size()][FEATURES];
        for (int r = 0; r < train.size(); r++) {
            for (int i = 0; i < FEATURES; i++) {
                z[r][i] = (train.features()[r][i] - mean[i]) / std[i];
            }
        }
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            double[][] gradW = new double[FEATURES][classes];
            double[] gradB = new double[classes];
            for (int r = 0; r < train.size(); r++) {
                double[] p = softmax(logits(z[r], w, b));
                p[train.labels()[r]] -= 1; // d(cross-entropy)/d(logits)
                for (int j = 0; j < classes; j++) {
                    gradB[j] += p[j];
                    for (int i = 0; i < FEATURES; i++) {
                        gradW[i][j] += p[j] * z[r][i];
                    }
                }
            }
            for (int j = 0; j < classes; j++) {
                b[j] -= LEARNING_RATE * gradB[j] / train.size();
                for (int i = 0; i < FEATURES; i++) {
                    w[i][j] -= LEARNING_RATE * gradW[i][j] / train.size();
                }
            }
        }

        float[][] weights = new float[FEATURES][classes];
        float[] bias = new float[classes];
        for (int j = 0; j < classes; j++) {
            bias[j] = (float) b[j];
            for (int i = 0; i < FEATURES; i++) {
                weights[i][j] = (float) w[i][j];
            }
        }
        Trained untested = new Trained(mean, std, weights, bias, train, test, 0, 0);
        return new Trained(mean, std, weights, bias, train, test, untested.accuracy(train), untested.accuracy(test));
    }

    /** Writes the model to the path given (default {@code iris.onnx}) and prints the accuracy. */
    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "iris.onnx");
        Trained trained = train();
        trained.write(target);
        System.out.printf("wrote %s: train accuracy %.3f (%d rows), test accuracy %.3f (%d rows)%n",
                target.toAbsolutePath(), trained.trainAccuracy(), trained.train().size(),
                trained.testAccuracy(), trained.test().size());
    }

    private static Dataset[] split(Dataset all, long seed) {
        Random random = new Random(seed);
        List<Integer> trainRows = new ArrayList<>();
        List<Integer> testRows = new ArrayList<>();
        for (int label = 0; label < CLASS_NAMES.size(); label++) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < all.size(); r++) {
                if (all.labels()[r] == label) {
                    rows.add(r);
                }
            }
            Collections.shuffle(rows, random);
            int testCount = (int) Math.round(rows.size() * TEST_FRACTION);
            testRows.addAll(rows.subList(0, testCount));
            trainRows.addAll(rows.subList(testCount, rows.size()));
        }
        Collections.shuffle(trainRows, random);
        return new Dataset[] {subset(all, trainRows), subset(all, testRows)};
    }

    private static Dataset subset(Dataset all, List<Integer> rows) {
        float[][] features = new float[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            features[k] = all.features()[rows.get(k)].clone();
            labels[k] = all.labels()[rows.get(k)];
        }
        return new Dataset(features, labels);
    }

    private static double[] logits(double[] z, double[][] w, double[] b) {
        double[] logits = b.clone();
        for (int j = 0; j < logits.length; j++) {
            for (int i = 0; i < z.length; i++) {
                logits[j] += z[i] * w[i][j];
            }
        }
        return logits;
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < logits.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }
}
