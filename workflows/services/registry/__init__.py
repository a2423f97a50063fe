"""The registry's services: who may do what (``access``), the spreadsheets' columns (``columns``)
and sheets (``sheets``), writing rows (``writing``) and the history judged by eligibility (``history``).
"""
