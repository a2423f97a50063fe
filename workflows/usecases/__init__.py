"""Use cases: what a person (or the clock) asks of Laurel, one module per subject.

A use case checks who asks, calls the services in order, and commits; it is the only layer that
ends a transaction. The web layer and the command line call use cases and nothing below them but
the models they read and the errors they catch. Find what a page or an API call does by its
subject here: ``nominations`` starts and withdraws, ``tasks`` completes, ``decisions`` signs and
revokes, ``registry`` keeps people and collectives, ``rulebook`` publishes rules.
"""
