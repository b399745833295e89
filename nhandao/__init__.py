"""nhandao: the open-source platform for Red Cross and humanitarian work."""
