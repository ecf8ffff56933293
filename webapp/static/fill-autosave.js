/* Autosave for the fill page (issue 11): see webapp/autosave.py for the server side. */
