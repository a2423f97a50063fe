"""The registry of people and collectives: who they are, their history, their holds.

``records`` reads and changes one subject at a time; ``importing`` and ``exporting`` move whole
spreadsheets in and out; ``access`` says who may do what. The files' columns are in ``columns``.
"""
