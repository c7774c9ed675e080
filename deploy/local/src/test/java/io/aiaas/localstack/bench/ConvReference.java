package io.aiaas.localstack.bench;

import io.aiaas.onnx.builder.TestModels;

/** The benchmark's convolutional classifier in plain Java (double accumulation), to check ONNX Runtime against. */
final class ConvReference {

    private ConvReference() {
    }

    /** One row: [3,48,192] in, 10 probabilities out. */
    static float[] forward(BenchModel.Conv w, float[] x) {
        int h = (int) BenchModel.CONV_INPUT[1];
        int wd = (int) BenchModel.CONV_INPUT[2];
        float[] c1 = relu(conv(x, (int) BenchModel.CONV_INPUT[0], h, wd, w.w1(), w.b1(), BenchModel.CONV1_CHANNELS));
        float[] c2 = relu(conv(c1, BenchModel.CONV1_CHANNELS, h / 2, wd / 2, w.w2(), w.b2(),
                BenchModel.CONV2_CHANNELS));
        int area = (h / 4) * (wd / 4);
        float[] pooled = new float[BenchModel.CONV2_CHANNELS];
        for (int c = 0; c < pooled.length; c++) {
            double sum = 0;
            for (int i = 0; i < area; i++) {
                sum += c2[c * area + i];
            }
            pooled[c] = (float) (sum / area);
        }
        float[] logits = new float[BenchModel.CONV_CLASSES];
        for (int j = 0; j < logits.length; j++) {
            double acc = w.bias()[j];
            for (int i = 0; i < pooled.length; i++) {
                acc += (double) pooled[i] * w.dense()[i * BenchModel.CONV_CLASSES + j];
            }
            logits[j] = (float) acc;
        }
        return TestModels.softmax(logits);
    }

    /** 3x3 convolution, stride 2, padding 1, NCHW with N = 1. */
    private static float[] conv(float[] in, int channels, int h, int w, float[] weights, float[] bias, int out) {
        int oh = (h + 2 - 3) / 2 + 1;
        int ow = (w + 2 - 3) / 2 + 1;
        float[] result = new float[out * oh * ow];
        for (int o = 0; o < out; o++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double acc = bias[o];
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            int iy = y * 2 - 1 + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < 3; kx++) {
                                int ix = x * 2 - 1 + kx;
                                if (ix < 0 || ix >= w) {
                                    continue;
                                }
                                acc += (double) in[(c * h + iy) * w + ix] * weights[((o * channels + c) * 3 + ky) * 3 + kx];
                            }
                        }
                    }
                    result[(o * oh + y) * ow + x] = (float) acc;
                }
            }
        }
        return result;
    }

    private static float[] relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, v[i]);
        }
        return v;
    }
}
