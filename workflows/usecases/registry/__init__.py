"""The registry's use cases: ``records`` reads and changes one person or collective at a time;
``importing`` and ``exporting`` move whole spreadsheets in and out.
"""
