"""Parts of the Project facade, one mixin per area (assembled in qualcode.project)."""
