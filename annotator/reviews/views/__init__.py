"""HTML pages under /review/, one module per page family; urls.py names which serves what.

Views are thin: they resolve ids, call one service or selector, and turn
ApplicationError into a 404/403 page (GET) or a message and a redirect (POST).
"""
