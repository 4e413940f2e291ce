/** A settings form's last row: "Saved" for a moment after it worked, and its Save button. */
export function SaveRow({ saved, testId, title }: { saved: boolean; testId: string; title: string }) {
  return (
    <div className="form-actions">
      {saved ? <span className="saved">Saved</span> : null}
      <button type="submit" className="btn btn-primary" data-testid={testId} title={title}>
        Save
      </button>
    </div>
  );
}
