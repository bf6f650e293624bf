"""The build, between the readers and rules below and the commands above: the planner says which
posts are outdated (planner.py); an empty plan is answered from the last clean build's record
(unchanged.py), a plan of a few posts is carried out in place in the deck's store
(incremental.py), and a plan of every post reads them all, each from the post cache when it has
not changed (whole.py, cache.py). `flashgen.api.run` puts the plan and its carrying out together.
"""
