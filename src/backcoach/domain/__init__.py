"""The clinical core: pure rules with no I/O.

Every rule returns its result together with the reasons for it, so that the
person and the clinician can always see why.
"""
