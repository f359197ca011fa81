"""Step 6, certificates: certify learners who pass, the PDF and the Open Badge, the
signing key, the append-only register, verify, revoke, publish and renewal.

May import every step before it.
"""
