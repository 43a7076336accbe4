"""``ktr import``: turn a live cluster, or another tool's files, into declarations.

Everything here is pure: cluster states and foreign documents come in, a
neutral set of topics comes out (:mod:`.model`), and is laid out into files
(:mod:`.layout`, :mod:`.environments`) and written as YAML in the forms a
person writes (:mod:`.yaml_out`). Only :mod:`reconciler.commands.import_`
reads the cluster or touches the file system.
"""
