"""The other side of tests/differential.rs: PyPI's gostcrypto (an independent GOST 34.10-2012 and Streebog
implementation in Python, installed into the project's venv by scripts/setup-tools).

Reads the Rust side's cases (JSON on stdin), answers on stdout:
- "verdicts": gostcrypto's verdict on each case Rust signed (each one good, and its corrupted twin);
- "signed": cases gostcrypto signed itself, each with a corrupted twin, for Rust to verify.
Every value is in NCA's wire format (hex): key X||Y, signature r||s, each little-endian, and the digest
Streebog-512 read little-endian. gostcrypto reads big-endian, so each is reversed at this edge.
"""

import json
import os
import sys
from multiprocessing import Pool

from gostcrypto import gosthash
from gostcrypto.gostsignature import gost_34_10_2012 as gost

CURVE = gost.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]
SIZE = 64


def signer():
    return gost.new(gost.MODE_512, CURVE)


def digest_be(message):
    # Streebog-512 as gostcrypto writes it, reversed: read big-endian it is the little-endian integer NCA uses.
    return bytearray(gosthash.new("streebog512", data=message).digest())[::-1]


def halves_reversed(data):
    return bytearray(data[:SIZE][::-1] + data[SIZE:][::-1])


def verify(case):
    key = halves_reversed(bytes.fromhex(case["key"]))
    message = bytes.fromhex(case["message"])
    signature = halves_reversed(bytes.fromhex(case["signature"]))
    try:
        return signer().verify(key, digest_be(message), signature)
    except gost.GOSTSignatureError:
        return False


def sign(seed):
    rng = os.urandom
    while True:
        private = bytearray(rng(SIZE))
        if 0 < int.from_bytes(private, "big") < CURVE["m"]:
            break
    message = rng(1 + seed % 200)
    key = signer().public_key_generate(private)
    signature = signer().sign(private, digest_be(message))
    wire_key = halves_reversed(key).hex()
    wire_signature = halves_reversed(signature)
    corrupted = bytearray(wire_signature)
    corrupted[seed % len(corrupted)] ^= 1 << (seed % 8)
    return {
        "key": wire_key,
        "message": message.hex(),
        "signature": wire_signature.hex(),
        "corrupted": bytes(corrupted).hex(),
    }


def main():
    request = json.load(sys.stdin)
    checks = []
    for case in request["cases"]:
        checks.append(case)
        checks.append(dict(case, signature=case["corrupted"]))
    with Pool(2) as pool:
        verdicts = pool.map(verify, checks)
        signed = pool.map(sign, range(request["sign"]))
    json.dump({"verdicts": verdicts, "signed": signed}, sys.stdout)


if __name__ == "__main__":
    main()
