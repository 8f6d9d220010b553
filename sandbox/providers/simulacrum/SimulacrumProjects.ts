// Projects created by POST /api/projects/request-upload. A project belongs to one tenant and names the blob its
// archive must be uploaded to; jobs may only use it once that blob exists (committed) in Azurite.

export interface SimulacrumProject {
  readonly projectId: string;
  readonly tenant: string;
  readonly name: string;
  readonly filename: string;
  readonly declaredBytes: number;
  readonly blob: string;
  readonly createdAt: number;
}

export class SimulacrumProjects {
  private readonly byId = new Map<string, SimulacrumProject>();

  add(project: SimulacrumProject): void {
    this.byId.set(project.projectId, project);
  }

  /** The project if it belongs to `tenant`: another tenant's id reads as not found. */
  findFor(tenant: string, projectId: string): SimulacrumProject | undefined {
    const project = this.byId.get(projectId);
    return project?.tenant === tenant ? project : undefined;
  }

  all(): SimulacrumProject[] {
    return [...this.byId.values()];
  }
}

export function projectBlobName(tenant: string, projectId: string, filename: string): string {
  return `projects/${tenant}/${projectId}/${filename}`;
}
