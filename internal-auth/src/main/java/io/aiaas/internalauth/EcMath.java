package io.aiaas.internalauth;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * The two pieces of curve arithmetic the JDK does not offer as an API: the public point of a private scalar
 * ({@code d·G}, needed because a PKCS#8 file may hold the private key alone) and the check that a received public
 * point lies on the curve. Affine coordinates and BigInteger: it runs once per key, never per token.
 */
final class EcMath {

    private EcMath() {
    }

    static boolean onCurve(ECPoint point, ECParameterSpec spec) {
        if (point == null || ECPoint.POINT_INFINITY.equals(point)) {
            return false;
        }
        BigInteger p = prime(spec);
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    /** {@code k·G} by double-and-add. */
    static ECPoint multiplyGenerator(BigInteger k, ECParameterSpec spec) {
        if (k.signum() <= 0 || k.compareTo(spec.getOrder()) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
        ECPoint result = ECPoint.POINT_INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = add(result, result, spec);
            if (k.testBit(i)) {
                result = add(result, spec.getGenerator(), spec);
            }
        }
        return result;
    }

    private static ECPoint add(ECPoint a, ECPoint b, ECParameterSpec spec) {
        if (ECPoint.POINT_INFINITY.equals(a)) {
            return b;
        }
        if (ECPoint.POINT_INFINITY.equals(b)) {
            return a;
        }
        BigInteger p = prime(spec);
        BigInteger x1 = a.getAffineX();
        BigInteger y1 = a.getAffineY();
        BigInteger x2 = b.getAffineX();
        BigInteger y2 = b.getAffineY();
        BigInteger slope;
        if (x1.equals(x2)) {
            if (y1.add(y2).mod(p).signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger three = BigInteger.valueOf(3);
            slope = three.multiply(x1).multiply(x1).add(spec.getCurve().getA())
                    .multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = slope.multiply(slope).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }

    private static BigInteger prime(ECParameterSpec spec) {
        return ((ECFieldFp) spec.getCurve().getField()).getP();
    }
}
